"""Generates ../fixtures/composite_journals.json: what py_trees does with small trees.

Each case is a tree of composites (Sequence, Selector, Parallel) over scripted leaves
(each returns the statuses of its script in turn, the last one repeating). The tree is
ticked a number of times, and maybe stopped; recorded are the root's status after each
tick, the journal of every initialise/update/terminate call of every node, and the
status of every node (and the root's current child) at the end. composites.test.ts
builds the same trees from the recorded description and must produce the same.

Run with an interpreter that has py_trees, e.g. the reference install of /work/pyref:

    /work/pyref/venv/bin/python packages/scenario-execution/test/runtime/python/gen_composite_journals.py \\
        --source "splintered-reality/py_trees devel 0d5b39f (2.2.3 + 5 commits)"

--source says where that py_trees comes from (its version.py only says 2.2.3); the
file also records py_trees.version.__version__ and the SHA-256 of the py_trees modules
whose code decides the journals.
"""

import argparse
import hashlib
import json
import os
import platform
import sys

import py_trees
import py_trees.version
from py_trees.common import ParallelPolicy, Status

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "..", "fixtures", "composite_journals.json")


def leaf(name, *script):
    return {"kind": "leaf", "name": name, "script": list(script)}


def sequence(name, children, memory=True):
    return {"kind": "sequence", "name": name, "memory": memory, "children": children}


def selector(name, children, memory=False):
    return {"kind": "selector", "name": name, "memory": memory, "children": children}


def parallel(name, children, policy=None):
    return {"kind": "parallel", "name": name, "policy": policy or success_on_all(), "children": children}


def success_on_all(synchronise=True):
    return {"kind": "successOnAll", "synchronise": synchronise}


def success_on_one():
    return {"kind": "successOnOne"}


R, S, F = "RUNNING", "SUCCESS", "FAILURE"

# name: (tree, ticks, stop the root with this status afterwards or None)
CASES = {
    "sequence with memory resumes at the running child, restarts after failure": (
        sequence("s", [leaf("a", R, S), leaf("b", F)]), 3, None),
    "sequence without memory restarts from the first child and stops later children on failure": (
        sequence("s", [leaf("a", S, S, F), leaf("b", R)], memory=False), 3, None),
    "sequence whose children all succeed": (sequence("s", [leaf("a", S), leaf("b", S)]), 2, None),
    "failing sequence": (sequence("s", [leaf("a", F), leaf("b", S)]), 1, None),
    "empty sequence": (sequence("s", []), 1, None),
    "stop(INVALID) of a sequence over a running parallel": (
        sequence("s", [parallel("p", [leaf("a", R), leaf("b", R)])]), 1, "INVALID"),
    "parallel SuccessOnAll synchronised skips children that succeeded": (
        parallel("p", [leaf("a", S), leaf("b", R, R, S)]), 3, None),
    "parallel SuccessOnAll not synchronised ticks children that succeeded again": (
        parallel("p", [leaf("a", S), leaf("b", R, S)], success_on_all(False)), 2, None),
    "parallel fails on the first failure and stops the running children": (
        parallel("p", [leaf("a", R), leaf("b", R, F), leaf("c", R)]), 2, None),
    "parallel SuccessOnOne succeeds with the first success": (
        parallel("p", [leaf("a", R), leaf("b", R, S)], success_on_one()), 2, None),
    "empty parallel": (parallel("p", []), 1, None),
    "selector without memory re-checks higher priorities and stops the lower running child": (
        selector("x", [leaf("a", F, R, F), leaf("b", R)]), 3, None),
    "selector with memory resumes at the running child": (
        selector("x", [leaf("a", F), leaf("b", R, S)], memory=True), 2, None),
    "selector whose children all fail": (selector("x", [leaf("a", F), leaf("b", F)]), 1, None),
    "empty selector": (selector("x", []), 1, None),
    "selector interrupting a running sequence with a higher priority": (
        selector("x", [sequence("hi", [leaf("c", F, S), leaf("d", R)]), sequence("lo", [leaf("e", R)])]), 3, None),
    "parallel of sequences, one failing": (
        parallel("p", [sequence("one", [leaf("a", S), leaf("b", R)]), sequence("two", [leaf("c", R, F)])]), 3, None),
}


class Journalled:
    """initialise/terminate of a composite, written to the journal (the composite's own logic is py_trees')."""

    def initialise(self):
        self.journal.append(f"{self.name}.initialise")

    def terminate(self, new_status):
        self.journal.append(f"{self.name}.terminate({new_status.value})")


class JSequence(Journalled, py_trees.composites.Sequence):
    pass


class JSelector(Journalled, py_trees.composites.Selector):
    pass


class JParallel(Journalled, py_trees.composites.Parallel):
    pass


class ScriptedLeaf(py_trees.behaviour.Behaviour):
    def __init__(self, name, script, journal):
        super().__init__(name)
        self.script = [Status(status) for status in script]
        self.step = 0
        self.journal = journal

    def initialise(self):
        self.journal.append(f"{self.name}.initialise")

    def update(self):
        status = self.script[min(self.step, len(self.script) - 1)]
        self.step += 1
        self.journal.append(f"{self.name}.update={status.value}")
        return status

    def terminate(self, new_status):
        self.journal.append(f"{self.name}.terminate({new_status.value})")


def build(spec, journal, nodes):
    if spec["kind"] == "leaf":
        node = ScriptedLeaf(spec["name"], spec["script"], journal)
    else:
        children = [build(child, journal, nodes) for child in spec["children"]]
        if spec["kind"] == "sequence":
            node = JSequence(spec["name"], memory=spec["memory"], children=children)
        elif spec["kind"] == "selector":
            node = JSelector(spec["name"], memory=spec["memory"], children=children)
        else:
            policy = spec["policy"]
            if policy["kind"] == "successOnAll":
                chosen = ParallelPolicy.SuccessOnAll(synchronise=policy["synchronise"])
            else:
                chosen = ParallelPolicy.SuccessOnOne()
            node = JParallel(spec["name"], policy=chosen, children=children)
        node.journal = journal
    nodes.append(node)
    return node


def run(tree, ticks, stop):
    journal = []
    nodes = []
    root = build(tree, journal, nodes)
    statuses = []
    for _ in range(ticks):
        root.tick_once()
        statuses.append(root.status.value)
    if stop is not None:
        root.stop(Status(stop))
    current = getattr(root, "current_child", None)
    return {
        "tree": tree,
        "ticks": ticks,
        "stop": stop,
        "statuses": statuses,
        "journal": journal,
        "final": {node.name: node.status.value for node in sorted(nodes, key=lambda n: n.name)},
        "currentChild": current.name if current is not None else None,
    }


def sha256(module_file):
    with open(module_file, "rb") as stream:
        return hashlib.sha256(stream.read()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description="Generate composite_journals.json with py_trees.")
    parser.add_argument("--source", default="", help="where this py_trees comes from (repository, commit)")
    parser.add_argument("--output", default=OUTPUT)
    options = parser.parse_args()
    package = os.path.dirname(py_trees.__file__)
    data = {
        "generator": "packages/scenario-execution/test/runtime/python/gen_composite_journals.py",
        "py_trees": {
            "version": py_trees.version.__version__,
            "source": options.source,
            "sha256": {name: sha256(os.path.join(package, name)) for name in ("behaviour.py", "composites.py")},
        },
        "python": platform.python_version(),
        "cases": {name: run(tree, ticks, stop) for name, (tree, ticks, stop) in CASES.items()},
    }
    with open(options.output, "w") as stream:
        json.dump(data, stream, indent=1)
        stream.write("\n")
    print(f"{len(data['cases'])} cases, py_trees {data['py_trees']['version']} -> {os.path.relpath(options.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
