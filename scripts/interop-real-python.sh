#!/bin/sh
# Runs the interop tests that talk to "the Python server" against the real Python
# scenario_execution_server instead of our stand-in (packages/remote/test/python/server.py).
# A developer tool: CI cannot install the Python system, so `npm test` uses the stand-in.
#
#   npm run test:interop-python
#   SE_PYTHON_SERVER='/path/to/scenario_execution_server' npm run test:interop-python
#
# SE_PYTHON_SERVER is the command that starts the Python server (words split on spaces;
# the tests append the server's own options: -p/-s, -w, -c). Default: the reference
# install of /work/pyref (see /work/pyref/README.md). The Python server must find the
# test action `echo_args`: the tests put packages/remote/test/python/plugins on its
# PYTHONPATH, which registers it as an entry point of scenario_execution.actions
# (the server's Python must have scenario_execution and py_trees).
#
# The tests: packages/remote/test/python-server.test.ts (our client, the recorded
# transcripts, watchdog and connect timeout) and the Python server part of
# packages/remote/test/cli-e2e.test.ts (the built CLI). Extra arguments go to vitest.
set -eu
cd "$(dirname "$0")/.."
SE_PYTHON_SERVER="${SE_PYTHON_SERVER:-/work/pyref/bin/py-scenario-execution-server}"
export SE_PYTHON_SERVER
program="${SE_PYTHON_SERVER%% *}"
if [ ! -x "$program" ] && ! command -v "$program" >/dev/null 2>&1; then
  echo "interop-real-python: no Python server at '$program' (set SE_PYTHON_SERVER)" >&2
  exit 2
fi
echo "interop-real-python: against $SE_PYTHON_SERVER"
npm run build
npx vitest run packages/remote/test/python-server.test.ts packages/remote/test/cli-e2e.test.ts -t "Python server" "$@"
