#!/usr/bin/env python3
"""Conformance measure: import every model of ONNX's backend node tests.

Runs `qopt-translate --import-onnx` on each test_*/model.onnx shipped by
Debian's libonnx-testdata and prints imported / total plus the failures
grouped by ONNX operator. `--min-imported N` makes it exit 1 below N (CI
uses this as a floor so the number never silently drops).

Usage: /usr/bin/python3 scripts/node-suite.py [--build build] [--min-imported N]
                                               [--jobs J] [--verbose]
"""

import argparse
import collections
import concurrent.futures
import os
import re
import subprocess
import sys

DATA = "/usr/share/libonnx-testdata/data/node"


def op_types(model_path):
    """The operator types of a model's main graph (read with the onnx package
    when it is available, else guessed from the test name)."""
    try:
        import onnx  # Debian python3-onnx

        model = onnx.load(model_path, load_external_data=False)
        return sorted({n.op_type for n in model.graph.node})
    except Exception:
        name = os.path.basename(os.path.dirname(model_path))
        return [name[len("test_"):].split("_")[0]]


def run_one(tool, model):
    proc = subprocess.run(
        [tool, "--import-onnx", model, "-o", os.devnull],
        capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--min-imported", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    tool = os.path.join(args.build, "bin", "qopt-translate")
    if not os.path.isdir(DATA):
        print(f"node-suite: {DATA} is missing (apt-get install libonnx-testdata)")
        return 1
    models = sorted(
        os.path.join(DATA, d, "model.onnx") for d in os.listdir(DATA)
        if os.path.isfile(os.path.join(DATA, d, "model.onnx")))

    crashes = []
    failures = collections.defaultdict(list)  # op type -> [(test, reason)]
    imported = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = pool.map(lambda m: (m, run_one(tool, m)), models)
        for model, (rc, stderr) in results:
            test = os.path.basename(os.path.dirname(model))
            if rc == 0:
                imported += 1
                continue
            if rc < 0 or rc > 1:
                crashes.append(test)
            # The first line names the failing node(s); attribute the
            # failure to the operators the error lists, else to all ops.
            listed = re.findall(r"\(([\w.]+), opset \d+\)", stderr)
            reason = stderr.strip().splitlines()[0] if stderr.strip() else f"exit {rc}"
            reason = re.sub(r"^\S+:0:0: error: ", "", reason)
            detail = [l.strip() for l in stderr.splitlines()[1:2]]
            for op in sorted(set(listed)) or op_types(model):
                failures[op].append((test, detail[0] if listed and detail else reason))

    print(f"node suite: imported {imported} / {len(models)} "
          f"({100.0 * imported / len(models):.1f}%), crashes {len(crashes)}")
    if failures:
        print("failures by operator (tests):")
        for op, tests in sorted(failures.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f"  {op:28s} {len(tests)}")
            if args.verbose:
                for test, reason in tests:
                    print(f"      {test}: {reason[:150]}")
    for test in crashes:
        print(f"CRASH: {test}")
    if crashes or imported < args.min_imported:
        print(f"node-suite: FAILED (floor {args.min_imported}, crashes {len(crashes)})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
