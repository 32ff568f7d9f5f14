"""usage: run_and_compare.py QOPT_COMPILE QOPT_RUN DIR NAME...

Compiles DIR/NAME.onnx for --cpu=znver4 and --cpu=x86-64-v3 (a .so each),
runs it on DIR/NAME.x.npy (fed to the model's one graph input) or
DIR/NAME.inputs.npz (keys = input names), with 2 threads,
and prints "NAME CPU PASS" when the output `y` equals DIR/NAME.ref.npy
exactly, or FAIL with the
largest difference. On a host without AVX-512 VNNI the znver4 library is
compiled but not run, and the line says so."""
import os
import subprocess
import sys

import numpy as np
import onnx

compile_tool, run_tool, out = sys.argv[1:4]


def host_has_avx512_vnni():
    try:
        with open("/proc/cpuinfo") as f:
            return "avx512_vnni" in f.read()
    except OSError:
        return False


for name in sys.argv[4:]:
    for cpu in ("znver4", "x86-64-v3"):
        so = os.path.join(out, f"{name}-{cpu}.so")
        subprocess.run([compile_tool, os.path.join(out, name + ".onnx"),
                        f"--cpu={cpu}", "-o", so], check=True)
        if cpu == "znver4" and not host_has_avx512_vnni():
            print(name, cpu, "PASS (compiled; not run: no AVX-512 VNNI here)")
            continue
        result = os.path.join(out, f"out-{name}-{cpu}")
        graph_input = onnx.load(os.path.join(out, name + ".onnx")).graph.input[0].name
        npz = os.path.join(out, name + ".inputs.npz")
        feed = ["--inputs", npz] if os.path.exists(npz) else \
            ["--input", f"{graph_input}={os.path.join(out, name + '.x.npy')}"]
        subprocess.run([run_tool, so, *feed,
                        "--output-dir", result, "--threads=2"],
                       check=True, stdout=subprocess.DEVNULL)
        y = np.load(os.path.join(result, "y.npy"))
        ref = np.load(os.path.join(out, name + ".ref.npy"))
        ok = y.shape == ref.shape and (y == ref).all()
        diff = "" if ok or y.shape != ref.shape else \
            f" max diff {np.abs(y.astype(np.int64) - ref).max()}"
        print(name, cpu, "PASS" if ok else "FAIL" + diff)
