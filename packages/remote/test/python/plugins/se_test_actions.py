"""Test actions for the real Python scenario_execution_server (see ../server.py for the stand-in).

The interop tests (scripts/interop-real-python.sh) put this folder on PYTHONPATH:
the dist-info folder beside it registers the actions under the entry point group
`scenario_execution.actions`, where the server looks them up.
"""

import py_trees
from scenario_execution.actions.base_action import BaseAction


class EchoArgs(BaseAction):
    """echo_args: logs the arguments it was given, sorted by name."""

    def execute(self, **args):
        self.args = args

    def update(self):
        text = ", ".join(f"{key}={self.args[key]!r}" for key in sorted(self.args))
        self.logger.info(f"echo_args: {text}")
        return py_trees.common.Status.SUCCESS
