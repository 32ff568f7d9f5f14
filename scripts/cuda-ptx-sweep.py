#!/usr/bin/env python3
"""The CUDA code generator over ONNX's backend node tests, without a GPU.

For each test_*/model.onnx shipped by Debian's libonnx-testdata:
qopt-compile --target=cuda --emit=ptx (the NVVM lowering and PTX
generation) and --emit=obj (the host code with the embedded kernels and the
mgpu* calls, as an object), then, when a CUDA toolkit's ptxas is found, assemble
the PTX for the architecture (the PTX is valid for the GPU); models that
only move data have no kernels and nothing to assemble. Prints the
counts and the failures by their first error line; `--min-assembled N`
makes it exit 1 below a floor. Any crash (a signal, or an exit code other
than 0/1) fails the run. Node-suite semantics are checked separately by
scripts/node-suite.py --compile-flags="--target=cuda --cuda-emulate".

Usage: /usr/bin/python3 scripts/cuda-ptx-sweep.py [--build build]
           [--arch sm_80] [--min-assembled N] [--jobs J] [--filter S]
"""

import argparse
import collections
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile

DATA = "/usr/share/libonnx-testdata/data/node"


def find_ptxas():
    for root in (os.environ.get("CUDA_HOME"), os.environ.get("CUDA_PATH"),
                 "/usr/local/cuda"):
        if root and os.path.isfile(os.path.join(root, "bin", "ptxas")):
            return os.path.join(root, "bin", "ptxas")
    return shutil.which("ptxas")


def run(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return 124, "timeout"


def check(build, model, arch, ptxas, tmp):
    test = os.path.basename(os.path.dirname(model))
    ptx = os.path.join(tmp, test + ".ptx")
    rc, out = run([os.path.join(build, "bin", "qopt-compile"), model,
                   "--target=cuda", f"--cuda-arch={arch}", "--emit=ptx",
                   "-o", ptx])
    if rc != 0:
        return "compile", rc, out
    # The host side too: translation to LLVM IR with the embedded image and
    # the mgpu* calls, and an object for this CPU.
    rc, host = run([os.path.join(build, "bin", "qopt-compile"), model,
                    "--target=cuda", f"--cuda-arch={arch}", "--emit=obj",
                    "--cuda-format=ptx", "-o", os.devnull])
    if rc != 0:
        os.unlink(ptx)
        return "host", rc, host
    with open(ptx) as f:
        if ".entry" not in f.read():
            os.unlink(ptx)
            return "nokernels", 0, ""
    if not ptxas:
        return "ok", 0, ""
    rc, out = run([ptxas, f"-arch={arch}", ptx, "-o", os.devnull])
    os.unlink(ptx)
    return ("ok" if rc == 0 else "ptxas"), rc, out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--arch", default="sm_80")
    parser.add_argument("--min-assembled", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--filter", default="")
    args = parser.parse_args()
    if not os.path.isdir(DATA):
        print(f"cuda-ptx-sweep: {DATA} is missing (apt-get install libonnx-testdata)")
        return 1
    ptxas = find_ptxas()
    models = sorted(os.path.join(DATA, d, "model.onnx") for d in os.listdir(DATA)
                    if args.filter in d
                    and os.path.isfile(os.path.join(DATA, d, "model.onnx")))
    counts, crashes = collections.Counter(), []
    reasons = collections.defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="qopt-ptx-sweep-") as tmp, \
            concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for model, (stage, rc, out) in pool.map(
                lambda m: (m, check(args.build, m, args.arch, ptxas, tmp)), models):
            test = os.path.basename(os.path.dirname(model))
            counts[stage] += 1
            if stage in ("ok", "nokernels"):
                continue
            if rc < 0 or (rc > 1 and rc != 124 and stage == "compile"):
                crashes.append(f"{test} ({stage}, exit {rc})")
            lines = [l for l in out.splitlines() if "error" in l] or out.splitlines() or [""]
            reason = lines[0].split("error:", 1)[-1].strip()[:140]
            reasons[(stage, reason)].append(test)
    compiled = counts["ok"] + counts["ptxas"] + counts["nokernels"]
    print(f"cuda ptx sweep ({args.arch}): compiled {compiled} / {len(models)} "
          f"({counts['nokernels']} without kernels), "
          f"assembled {counts['ok'] if ptxas else 'n/a (no ptxas)'} / {len(models)}, "
          f"crashes {len(crashes)}")
    for (stage, reason), tests in sorted(reasons.items(), key=lambda kv: -len(kv[1])):
        print(f"  {stage:8s} {len(tests):4d}  {reason}  (e.g. {tests[0]})")
    for c in crashes:
        print(f"CRASH: {c}")
    if crashes or (ptxas and counts["ok"] < args.min_assembled):
        print(f"cuda-ptx-sweep: FAILED (floor {args.min_assembled}, crashes {len(crashes)})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
