"""A stand-in for the Python scenario_execution_server, for our client's tests.

It answers as the Python server (cps-test-lab/scenario-execution-server 0.1.0)
does: one REP socket (one request at a time), the same replies and error texts
(they are Python's own exception texts, so the actions below have the class
names and method signatures of the engine's), the same command line, log
format, watchdog and connect timeout, and every action reset on exit. It runs
with the system interpreter, which has zmq and msgpack but not the Python
engine, so it knows only these actions:

  log, run_process   behave as the engine's actions of that name
  echo_args          a test action (the engine has none): logs its arguments,
                     sorted by name; test/python/plugins/ gives it to the real server

Where it differs from the real server: it binds tcp://127.0.0.1:PORT, not
tcp://*:PORT.

    /usr/bin/python3 server.py [-p PORT | -s SOCKET_PATH] [-v] [-w WATCHDOG_S] [-c CONNECT_TIMEOUT_S]

Like the real server, it logs "... listening on <address>" once bound, and
exits with 0 on SIGTERM, on SIGINT, after the watchdog or the connect timeout.
"""

import argparse
import logging
import os
import signal
import subprocess
import sys
import threading
import time

import msgpack
import zmq

SERVER_LOG = logging.getLogger("scenario_execution_server.server")
RUNNER_LOG = logging.getLogger("scenario_execution_server.action_runner")

# py_trees status values: the wire carries them upper case (terminate) or lower case (update replies).
STATUSES = ("INVALID", "RUNNING", "SUCCESS", "FAILURE")


class BaseAction:
    """The constructor signature of the engine's BaseAction, so that bad init_args fail alike."""

    def __init__(self, resolve_variable_reference_arguments_in_execute=True):
        self.logger = None
        self.status = "INVALID"

    def terminate(self, new_status):
        pass

    def shutdown(self):
        pass


class Log(BaseAction):
    def execute(self, msg):
        self.msg = msg
        self.published = False

    def update(self):
        if not self.published:
            self.published = True
            if self.msg is None:
                raise RuntimeError("log(): Empty message.")
            self.logger.info(f"{self.msg}")
        return "SUCCESS"


class RunProcess(BaseAction):
    def __init__(self):
        super().__init__()
        self.command = None
        self.wait_for_shutdown = None
        self.shutdown_timeout = None
        self.shutdown_signal = None
        self.started = False
        self.process = None

    def execute(self, command=None, wait_for_shutdown=True, shutdown_timeout=10, shutdown_signal=("", signal.SIGTERM)):
        self.command = command.split(" ") if isinstance(command, str) else command
        self.wait_for_shutdown = wait_for_shutdown
        self.shutdown_timeout = shutdown_timeout
        self.shutdown_signal = shutdown_signal[1]
        self.started = False

    def update(self):
        if not self.started:
            self.started = True
            try:
                self.process = subprocess.Popen(
                    self.command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
                )
            except Exception as exc:  # the engine's action logs any start failure and fails
                self.logger.error(str(exc))
                return "FAILURE"
            for stream, log in ((self.process.stdout, self.logger.info), (self.process.stderr, self.logger.error)):
                threading.Thread(target=forward_lines, args=(stream, log), daemon=True).start()
        if self.process is None:
            return "FAILURE"
        code = self.process.poll()
        if code is None:
            return "RUNNING" if self.wait_for_shutdown else "SUCCESS"
        return "SUCCESS" if code == 0 else "FAILURE"

    def shutdown(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.logger.info(f"Sending {signal.Signals(self.shutdown_signal).name} to process...")
        group = os.getpgid(self.process.pid)
        os.killpg(group, self.shutdown_signal)
        if self.process.poll() is not None:
            self.logger.info("Process finished.")
            return
        self.logger.info(f"Waiting {self.shutdown_timeout}s for process to finish...")
        try:
            self.process.wait(self.shutdown_timeout)
        except subprocess.TimeoutExpired:
            self.logger.info("Sending SIGKILL to process...")
            os.killpg(group, signal.SIGKILL)
            self.process.wait()
        self.logger.info("Process finished.")


def forward_lines(stream, log):
    try:
        for line in iter(stream.readline, b""):
            log(line.decode().strip())
        stream.close()
    except ValueError:  # the stream was closed under us
        pass


class EchoArgs(BaseAction):
    def execute(self, **args):
        self.args = args

    def update(self):
        text = ", ".join(f"{key}={self.args[key]!r}" for key in sorted(self.args))
        self.logger.info(f"echo_args: {text}")
        return "SUCCESS"


ACTIONS = {"log": Log, "run_process": RunProcess, "echo_args": EchoArgs}


class Actions:
    """The action instances by action_id, driven as the real server's action runner drives them."""

    def __init__(self):
        self.by_id = {}

    def get(self, action_id):
        if action_id not in self.by_id:
            raise KeyError(f"Unknown action_id: {action_id}")
        return self.by_id[action_id]

    def init(self, action_id, plugin_key, init_args):
        found = [cls for key, cls in ACTIONS.items() if key == plugin_key]
        if not found:
            raise ValueError(f"No action plugin found for key '{plugin_key}'")
        action = found[0](**init_args)
        action.logger = logging.getLogger(f"action.{action_id[:8]}")
        self.by_id[action_id] = action
        RUNNER_LOG.info(f"Initialized '{plugin_key}' (id={action_id[:8]})")

    def setup(self, action_id):
        self.get(action_id)
        RUNNER_LOG.info(f"Setup (id={action_id[:8]})")

    def execute(self, action_id, exec_args):
        action = self.get(action_id)
        action.execute(**exec_args)
        action.status = "RUNNING"
        RUNNER_LOG.debug(f"Execute (id={action_id[:8]}, args={list(exec_args.keys())})")

    def update(self, action_id):
        action = self.get(action_id)
        action.status = action.update()
        return action.status.lower()

    def terminate(self, action_id, new_status):
        action = self.get(action_id)
        action.status = new_status if new_status in STATUSES else "INVALID"
        action.terminate(action.status)

    def reset(self, action_id):
        action = self.by_id.pop(action_id, None)
        if action is None:
            return
        try:
            action.terminate("INVALID")
            action.shutdown()
        except Exception as exc:
            RUNNER_LOG.warning(f"Error during reset of action {action_id[:8]}: {exc}")

    def reset_all(self):
        for action_id in list(self.by_id):
            self.reset(action_id)
        RUNNER_LOG.info("All actions reset.")


def reply(status, **fields):
    return msgpack.packb({"status": status, **fields}, use_bin_type=True)


def dispatch(actions, request):
    cmd = request.get("cmd", "")
    payload = request.get("payload", {})
    log = SERVER_LOG.debug if cmd in ("heartbeat", "update") else SERVER_LOG.info
    log(f"cmd={cmd} action_id={str(payload.get('action_id', ''))[:8]}")
    if cmd == "init":
        actions.init(payload["action_id"], payload["plugin_key"], payload.get("init_args") or {})
    elif cmd == "setup":
        actions.setup(payload["action_id"])
    elif cmd == "execute":
        actions.execute(payload["action_id"], payload.get("exec_args") or {})
    elif cmd == "update":
        return reply("ok", action_status=actions.update(payload["action_id"]))
    elif cmd == "terminate":
        actions.terminate(payload["action_id"], payload.get("new_status", "invalid"))
    elif cmd == "reset":
        action_id = payload.get("action_id")
        if action_id:
            actions.reset(action_id)
        else:
            actions.reset_all()
    elif cmd != "heartbeat":
        return reply("error", message=f"Unknown command: '{cmd}'")
    return reply("ok")


def serve(sock, actions, options, running):
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    started = time.monotonic()
    last_message = None
    while running:
        if sock not in dict(poller.poll(500)):
            idle = time.monotonic()
            if options.connect_timeout > 0 and last_message is None and idle - started > options.connect_timeout:
                SERVER_LOG.info(f"Connect timeout: no client connected within {options.connect_timeout}s, stopping.")
                running.clear()
            elif options.watchdog > 0 and last_message is not None and idle - last_message > options.watchdog:
                SERVER_LOG.info(f"Watchdog: no message for {options.watchdog}s, stopping.")
                running.clear()
            continue
        last_message = time.monotonic()
        data = sock.recv()
        try:
            answer = dispatch(actions, msgpack.unpackb(data, raw=False))
        except Exception as exc:  # a bad request gets an error reply; the server keeps serving
            SERVER_LOG.exception("Error handling request")
            answer = reply("error", message=str(exc))
        sock.send(answer)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", "-p", type=int, default=7613)
    parser.add_argument("--socket", "-s", default=None)
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--watchdog", "-w", type=int, default=3)
    parser.add_argument("--connect-timeout", "-c", type=int, default=15)
    options = parser.parse_args()
    logging.basicConfig(
        level=logging.DEBUG if options.verbose else logging.INFO,
        format="%(asctime)s [%(levelname)s] %(name)s: %(message)s",
        stream=sys.stdout,
    )
    address = f"ipc://{options.socket}" if options.socket else f"tcp://127.0.0.1:{options.port}"
    running = [True]

    def on_sigterm(_signum, _frame):
        SERVER_LOG.info("SIGTERM received, stopping…")
        running.clear()

    signal.signal(signal.SIGTERM, on_sigterm)
    context = zmq.Context()
    sock = context.socket(zmq.REP)
    sock.bind(address)
    SERVER_LOG.info(f"scenario-execution-server listening on {address}")
    actions = Actions()
    try:
        serve(sock, actions, options, running)
    except KeyboardInterrupt:
        SERVER_LOG.info("Interrupted, shutting down…")
    SERVER_LOG.info("Cleaning up…")
    sock.close()
    context.term()

    def reset_everything():
        try:
            actions.reset_all()
        except Exception as exc:
            SERVER_LOG.warning(f"Error during runner cleanup: {exc}")
        SERVER_LOG.info("Server stopped.")

    # Like the real server: processes that take longer to stop are left behind after half a second.
    cleanup = threading.Thread(target=reset_everything, daemon=True)
    cleanup.start()
    cleanup.join(timeout=0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
