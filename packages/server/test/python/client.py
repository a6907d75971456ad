"""Test client: talks to a scenario_execution_server the way the Python remote
modifier does (one REQ socket, LINGER=0, REQ_RELAXED, send/receive timeouts,
msgpack with use_bin_type=True / raw=False).

Usage: client.py ENDPOINT < plan.json

The plan is a JSON array of steps; each step is either a request
{"cmd": ..., "payload": {...}} or {"raw_hex": "..."} (bytes sent as they are).
Prints a JSON array with one entry per step: the decoded reply, or
{"timeout": true} when no reply came in time.
"""

import json
import sys

import msgpack
import zmq

TIMEOUT_MS = 5000


def main() -> int:
    endpoint = sys.argv[1]
    plan = json.load(sys.stdin)

    context = zmq.Context()
    sock = context.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.REQ_RELAXED, 1)
    sock.setsockopt(zmq.SNDTIMEO, TIMEOUT_MS)
    sock.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    sock.connect(endpoint)

    replies = []
    try:
        for step in plan:
            if "raw_hex" in step:
                frame = bytes.fromhex(step["raw_hex"])
            else:
                frame = msgpack.packb({"cmd": step["cmd"], "payload": step["payload"]}, use_bin_type=True)
            try:
                sock.send(frame)
                replies.append(msgpack.unpackb(sock.recv(), raw=False))
            except zmq.Again:
                replies.append({"timeout": True})
    finally:
        sock.close()
        context.term()

    json.dump(replies, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
