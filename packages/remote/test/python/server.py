"""A small remote-action server for our client's tests.

Speaks the scenario_execution_server protocol over one REP socket (so, like
the Python server, it serves one request at a time) and knows the actions
`log` and `run_process` (with the Python engine's behaviour) and `echo_args`
(logs its arguments; no engine has it). Run with the system interpreter,
which has zmq and msgpack:

    /usr/bin/python3 server.py --port 7613 | --socket /tmp/x.sock [--extras]

With --extras, replies also carry the `log` and `feedback` keys our own
server adds. Prints "ready <address>" once bound. Exits on SIGTERM/SIGINT
after killing every process it started.
"""

import argparse
import os
import signal
import subprocess
import sys

import msgpack
import zmq


class LogAction:
    def __init__(self, lines):
        self.lines = lines
        self.msg = ""
        self.feedback = ""

    def execute(self, args):
        self.msg = str(args.get("msg", ""))

    def update(self):
        self.lines.append({"level": "info", "msg": self.msg})
        print(f"log: {self.msg}", flush=True)
        return "success"

    def terminate(self, _status):
        pass

    def shutdown(self):
        pass


class RunProcessAction:
    def __init__(self, lines):
        self.lines = lines
        self.process = None
        self.started = False
        self.args = {}
        self.feedback = ""

    def execute(self, args):
        self.args = args
        self.started = False

    def update(self):
        if not self.started:
            self.started = True
            command = self.args.get("command", "")
            argv = command.split(" ") if isinstance(command, str) else list(command)
            try:
                self.process = subprocess.Popen(
                    argv, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
                )
            except OSError as exc:
                self.lines.append({"level": "error", "msg": str(exc)})
                return "failure"
            os.set_blocking(self.process.stdout.fileno(), False)
            self.feedback = f"running '{command}'"
        self.collect_output()
        code = self.process.poll()
        if code is None:
            return "running" if self.args.get("wait_for_shutdown", True) else "success"
        self.collect_output()
        self.feedback = f"'{self.args.get('command')}' exited with {code}"
        return "success" if code == 0 else "failure"

    def collect_output(self):
        if self.process is None:
            return
        try:
            data = self.process.stdout.read()
        except (OSError, ValueError):
            return
        if data:
            for line in data.decode(errors="replace").splitlines():
                self.lines.append({"level": "info", "msg": line})

    def terminate(self, _status):
        pass

    def shutdown(self):
        if self.process is None or self.process.poll() is not None:
            return
        sig = self.args.get("shutdown_signal", ["sigterm", 15])
        os.killpg(os.getpgid(self.process.pid), int(sig[1]))
        try:
            self.process.wait(timeout=float(self.args.get("shutdown_timeout", 10)))
        except subprocess.TimeoutExpired:
            os.killpg(os.getpgid(self.process.pid), signal.SIGKILL)
            self.process.wait()


class EchoArgsAction:
    """An action only this server has: logs the arguments it was given, sorted by name."""

    def __init__(self, lines):
        self.lines = lines
        self.args = {}
        self.feedback = ""

    def execute(self, args):
        self.args = args

    def update(self):
        text = ", ".join(f"{key}={self.args[key]!r}" for key in sorted(self.args))
        self.lines.append({"level": "info", "msg": f"echo_args: {text}"})
        print(f"echo_args: {text}", flush=True)
        return "success"

    def terminate(self, _status):
        pass

    def shutdown(self):
        pass


ACTIONS = {"log": LogAction, "run_process": RunProcessAction, "echo_args": EchoArgsAction}


class Server:
    def __init__(self, extras):
        self.extras = extras
        self.actions = {}
        self.lines = {}

    def handle(self, cmd, payload):
        action_id = payload.get("action_id")
        if cmd == "heartbeat":
            return {"status": "ok"}
        if cmd == "init":
            key = payload.get("plugin_key")
            if key not in ACTIONS:
                return {"status": "error", "message": f"No action plugin found for key '{key}'"}
            self.lines[action_id] = []
            self.actions[action_id] = ACTIONS[key](self.lines[action_id])
            return {"status": "ok"}
        if cmd == "reset":
            ids = [action_id] if action_id else list(self.actions)
            for each in ids:
                action = self.actions.pop(each, None)
                if action is not None:
                    action.shutdown()
            return {"status": "ok"}
        if cmd not in ("setup", "execute", "update", "terminate"):
            return {"status": "error", "message": f"Unknown command: '{cmd}'"}
        action = self.actions.get(action_id)
        if action is None:
            return {"status": "error", "message": f"'Unknown action_id: {action_id}'"}
        reply = {"status": "ok"}
        if cmd == "execute":
            action.execute(payload.get("exec_args") or {})
        elif cmd == "update":
            reply["action_status"] = action.update()
        elif cmd == "terminate":
            action.terminate(payload.get("new_status"))
        if self.extras:
            pending = self.lines[action_id]
            if pending:
                reply["log"] = list(pending)
                pending.clear()
            if action.feedback:
                reply["feedback"] = action.feedback
        return reply

    def reset_all(self):
        for action in self.actions.values():
            action.shutdown()
        self.actions.clear()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=7613)
    parser.add_argument("--socket")
    parser.add_argument("--extras", action="store_true")
    options = parser.parse_args()
    address = f"ipc://{options.socket}" if options.socket else f"tcp://127.0.0.1:{options.port}"

    context = zmq.Context()
    sock = context.socket(zmq.REP)
    sock.setsockopt(zmq.LINGER, 0)
    sock.bind(address)
    server = Server(options.extras)
    stopping = []

    def stop(_signum, _frame):
        stopping.append(True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"ready {address}", flush=True)

    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    while not stopping:
        if not dict(poller.poll(100)):
            continue
        data = sock.recv()
        try:
            request = msgpack.unpackb(data, raw=False)
            reply = server.handle(request.get("cmd"), request.get("payload") or {})
        except Exception as exc:  # a bad request must not stop the server
            reply = {"status": "error", "message": str(exc)}
        sock.send(msgpack.packb(reply, use_bin_type=True))

    server.reset_all()
    sock.close()
    context.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
