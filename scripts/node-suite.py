#!/usr/bin/env python3
"""Conformance measure: ONNX's backend node tests through qopt.

For each test_*/model.onnx shipped by Debian's libonnx-testdata:
  import   qopt-translate --import-onnx
  compile  qopt-compile --target=cpu --emit=lib            (with --run;
           --compile-flags replaces --target=cpu, e.g. "--target=cuda
           --cuda-emulate": the CUDA program run in host emulation)
  run      qopt-run --test-data test_data_set_N, compared to output_N.pb
           (rtol 1e-3 / atol 1e-4 for floats, exact for ints and bools)
and prints imported / compiled / passed / total plus the failures grouped by
ONNX operator and stage. `--min-imported N` / `--min-passed N` make it exit 1
below a floor (CI uses them so the figures never silently drop). Any crash
(a signal, or an exit code other than 0/1) fails the run.

Usage: /usr/bin/python3 scripts/node-suite.py [--build build] [--run]
           [--min-imported N] [--min-passed N] [--jobs J] [--verbose]
           [--filter SUBSTRING] [--compile-flags "FLAGS"]
"""

import argparse
import collections
import concurrent.futures
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile

DATA = "/usr/share/libonnx-testdata/data/node"


def op_types(model_path):
    """The operator types of a model's main graph."""
    try:
        import onnx  # Debian python3-onnx

        model = onnx.load(model_path, load_external_data=False)
        return sorted({n.op_type for n in model.graph.node})
    except Exception:
        name = os.path.basename(os.path.dirname(model_path))
        return [name[len("test_"):].split("_")[0]]


def run(cmd, timeout=120):
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=timeout)
        return proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired:
        return 124, "", f"timeout after {timeout}s"


def first_line(text, rc):
    text = text.strip()
    if not text:
        return f"exit {rc}"
    line = text.splitlines()[0]
    return re.sub(r"^\S+:0:0: error: ", "", line)


def check_one(build, model, do_run, tmp, flags):
    """Returns (stage, rc, message): stage is 'ok' or the failing stage."""
    test = os.path.basename(os.path.dirname(model))
    rc, _, err = run([os.path.join(build, "bin", "qopt-translate"),
                      "--import-onnx", model, "-o", os.devnull])
    if rc != 0:
        return "import", rc, err
    if not do_run:
        return "ok", 0, ""
    lib = os.path.join(tmp, test + ".so")
    rc, _, err = run([os.path.join(build, "bin", "qopt-compile"), model,
                      *flags, "--emit=lib", "-o", lib])
    if rc != 0:
        return "compile", rc, err
    try:
        for data in sorted(glob.glob(os.path.join(os.path.dirname(model),
                                                  "test_data_set_*"))):
            rc, out, err = run([os.path.join(build, "bin", "qopt-run"), lib,
                                "--test-data", data])
            if rc != 0:
                lines = [l for l in (out + err).splitlines() if "FAIL" in l
                         or "qopt-run" in l]
                return "run", rc, "\n".join(lines) or err or out
    finally:
        os.unlink(lib)
    return "ok", 0, ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--run", action="store_true",
                        help="also compile for the CPU, run and compare")
    parser.add_argument("--min-imported", type=int, default=0)
    parser.add_argument("--min-passed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--filter", default="")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--compile-flags", default="--target=cpu",
                        help="qopt-compile flags besides --emit=lib -o")
    args = parser.parse_args()

    if not os.path.isdir(DATA):
        print(f"node-suite: {DATA} is missing (apt-get install libonnx-testdata)")
        return 1
    models = sorted(
        os.path.join(DATA, d, "model.onnx") for d in os.listdir(DATA)
        if args.filter in d
        and os.path.isfile(os.path.join(DATA, d, "model.onnx")))

    counts = collections.Counter()
    crashes = []
    failures = collections.defaultdict(list)  # (stage, op) -> [(test, why)]
    with tempfile.TemporaryDirectory(prefix="qopt-node-suite-") as tmp, \
            concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = pool.map(
            lambda m: (m, check_one(args.build, m, args.run, tmp,
                                    shlex.split(args.compile_flags))), models)
        for model, (stage, rc, message) in results:
            test = os.path.basename(os.path.dirname(model))
            stages = ["import", "compile", "run"]
            reached = stages.index(stage) if stage in stages else 3
            counts["imported"] += reached > 0
            counts["compiled"] += reached > 1
            counts["passed"] += stage == "ok" and args.run
            if stage == "ok":
                continue
            if rc < 0 or rc > 1 and rc != 124:
                crashes.append(f"{test} ({stage}, exit {rc})")
            # Attribute the failure to the operators the error names, else
            # to every operator of the model.
            listed = re.findall(r"\(([\w.]+), opset \d+\)", message)
            listed += re.findall(r"'qopt\.(\w+)' has no lowering", message)
            reason = first_line(message, rc)
            lines = message.strip().splitlines()
            if listed and len(lines) > 1:
                reason = lines[1].strip()
            for op in sorted(set(listed)) or op_types(model):
                failures[(stage, op)].append((test, reason))

    total = len(models)
    line = f"node suite: imported {counts['imported']} / {total}"
    if args.run:
        line += (f", compiled {counts['compiled']} / {total}"
                 f", passed {counts['passed']} / {total}")
    print(line + f", crashes {len(crashes)}")
    if failures:
        print("failures by stage and operator (tests):")
        for (stage, op), tests in sorted(
                failures.items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][1])):
            print(f"  {stage:8s} {op:28s} {len(tests)}")
            if args.verbose:
                for test, reason in tests:
                    print(f"      {test}: {reason[:160]}")
    for test in crashes:
        print(f"CRASH: {test}")
    failed = bool(crashes) or counts["imported"] < args.min_imported or \
        (args.run and counts["passed"] < args.min_passed)
    if failed:
        print(f"node-suite: FAILED (floors: imported {args.min_imported}, "
              f"passed {args.min_passed}; crashes {len(crashes)})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
