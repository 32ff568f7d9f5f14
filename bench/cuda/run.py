#!/usr/bin/env python3
"""bench/cuda, step 2 (on the GPU machine: numpy, PyTorch with CUDA; no LLVM
and no onnx package needed).

    python3 bench/cuda/run.py OUT [--runs N] [--device D]

OUT is what bench/cuda/prepare.sh wrote. For every model and precision it
loads the CUDA library through libqopt_runtime.so (ctypes), checks its
output against the CPU build's (max abs difference, and PASS/FAIL at
rtol 1e-3 / atol 1e-3 for fp32, atol 2e-2 for int8), then times N runs
(wall clock and the runtime's CUDA-event device time). In the same run it
times the peers on the same GPU: PyTorch fp16 matmul (cuBLAS) and int8
torch._int_mm for each GEMM shape, and the MLP rebuilt in PyTorch (fp16).
Prints a markdown table of median times and the ratios, and int8 GEMM
TOPS against the H100 SXM's 1979 dense int8 TOPS.
"""

import argparse
import ctypes
import glob
import json
import os
import statistics
import sys
import time

import numpy as np

H100_INT8_DENSE_TOPS = 1979.0
QOPT_MAX_RANK = 16


class Tensor(ctypes.Structure):
    _fields_ = [("dtype", ctypes.c_int), ("rank", ctypes.c_int32),
                ("dims", ctypes.c_int64 * QOPT_MAX_RANK),
                ("data", ctypes.c_void_p)]


class Runtime:
    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        lib = self.lib
        lib.qopt_model_load_device.argtypes = [
            ctypes.c_char_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_void_p),
            ctypes.c_char_p, ctypes.c_size_t]
        lib.qopt_model_run.argtypes = [ctypes.c_void_p, ctypes.POINTER(Tensor),
                                       ctypes.c_int32, ctypes.POINTER(Tensor)]
        lib.qopt_model_last_error.restype = ctypes.c_char_p
        lib.qopt_model_last_error.argtypes = [ctypes.c_void_p]
        lib.qopt_model_last_device_ms.restype = ctypes.c_double
        lib.qopt_model_last_device_ms.argtypes = [ctypes.c_void_p]
        lib.qopt_model_num_outputs.argtypes = [ctypes.c_void_p]
        lib.qopt_tensor_release.argtypes = [ctypes.POINTER(Tensor)]
        lib.qopt_model_free.argtypes = [ctypes.c_void_p]

    def load(self, path, device):
        handle = ctypes.c_void_p()
        error = ctypes.create_string_buffer(1024)
        if self.lib.qopt_model_load_device(path.encode(), device, ctypes.byref(handle),
                                           error, len(error)) != 0:
            raise RuntimeError(error.value.decode())
        return handle

    def run(self, model, x):
        x = np.ascontiguousarray(x, dtype=np.float32)
        inp = Tensor(0, x.ndim, (ctypes.c_int64 * QOPT_MAX_RANK)(*x.shape),
                     x.ctypes.data)
        outputs = (Tensor * self.lib.qopt_model_num_outputs(model))()
        start = time.perf_counter()
        if self.lib.qopt_model_run(model, ctypes.byref(inp), 1, outputs) != 0:
            raise RuntimeError(self.lib.qopt_model_last_error(model).decode())
        wall = (time.perf_counter() - start) * 1e3
        out = outputs[0]
        shape = tuple(out.dims[i] for i in range(out.rank))
        y = np.ctypeslib.as_array(ctypes.cast(out.data, ctypes.POINTER(ctypes.c_float)),
                                  shape=shape).copy()
        for o in outputs:
            self.lib.qopt_tensor_release(ctypes.byref(o))
        return y, wall, self.lib.qopt_model_last_device_ms(model)


def time_torch(fn, runs):
    import torch
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(runs):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--device", type=int, default=0)
    args = parser.parse_args()
    out = args.out
    rt = Runtime(os.path.join(out, "libqopt_runtime.so"))
    rows, failures = [], 0
    names = sorted({os.path.basename(p).rsplit("-", 2)[0]
                    for p in glob.glob(os.path.join(out, "*-cuda.so"))})
    for name in names:
        x = np.load(os.path.join(out, f"{name}-x.npy"))
        for precision in ("fp32", "int8"):
            lib = os.path.join(out, f"{name}-{precision}-cuda.so")
            model = rt.load(lib, args.device)
            y, _, _ = rt.run(model, x)
            want = np.load(os.path.join(out, f"{name}-{precision}-ref", "y.npy"))
            diff = float(np.max(np.abs(y - want))) if y.shape == want.shape else float("inf")
            atol = 1e-3 if precision == "fp32" else 2e-2
            ok = y.shape == want.shape and np.allclose(y, want, rtol=1e-3, atol=atol)
            failures += not ok
            for _ in range(3):
                rt.run(model, x)
            walls, devices = [], []
            for _ in range(args.runs):
                _, wall, device = rt.run(model, x)
                walls.append(wall)
                devices.append(device)
            rt.lib.qopt_model_free(model)
            rows.append({"model": name, "precision": precision,
                         "check": f"{'PASS' if ok else 'FAIL'} (max abs {diff:.2e})",
                         "wall_ms": statistics.median(walls),
                         "device_ms": statistics.median(devices)})
    try:
        import torch
        have_torch = torch.cuda.is_available()
    except ImportError:
        have_torch = False
    peers = {}
    if have_torch:
        torch.cuda.set_device(args.device)
        for g in json.load(open(os.path.join(out, "gemms.json"))):
            m, k, n = g["m"], g["k"], g["n"]
            a16 = torch.randn(m, k, device="cuda", dtype=torch.float16)
            b16 = torch.randn(k, n, device="cuda", dtype=torch.float16)
            a8 = torch.randint(-128, 127, (m, k), device="cuda", dtype=torch.int8)
            b8 = torch.randint(-128, 127, (k, n), device="cuda", dtype=torch.int8)
            peers[(g["name"], "fp16")] = time_torch(lambda: a16 @ b16, args.runs)
            peers[(g["name"], "int8")] = time_torch(lambda: torch._int_mm(a8, b8), args.runs)
        w = np.load(os.path.join(out, "mlp-weights.npz"))
        count = len([k for k in w.files if k.startswith("w")])
        layers = [torch.from_numpy(w[f"{kind}{i}"]).cuda().half()
                  for i in range(count) for kind in ("w", "b")]
        x16 = torch.from_numpy(np.load(os.path.join(out, "mlp-x.npy"))).cuda().half()

        def mlp():
            h = x16
            for i in range(0, len(layers) - 1, 2):
                h = h @ layers[i] + layers[i + 1]
                if i + 2 < len(layers):
                    h = torch.relu(h)
            return h
        peers[("mlp", "fp16")] = time_torch(mlp, args.runs)

    print(f"| model | precision | check vs CPU | qopt wall ms | qopt device ms | "
          f"PyTorch fp16 ms | PyTorch int8 ms | qopt / PyTorch (same precision) | int8 TOPS (% of {H100_INT8_DENSE_TOPS:.0f}) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        gemm = next((g for g in json.load(open(os.path.join(out, "gemms.json")))
                     if g["name"] == r["model"]), None)
        f16 = peers.get((r["model"], "fp16"))
        i8 = peers.get((r["model"], "int8"))
        peer = i8 if r["precision"] == "int8" else f16
        ratio = f"{r['device_ms'] / peer:.2f}x" if peer else "-"
        tops = "-"
        if gemm and r["precision"] == "int8" and r["device_ms"] > 0:
            t = 2 * gemm["m"] * gemm["k"] * gemm["n"] / (r["device_ms"] * 1e-3) / 1e12
            tops = f"{t:.1f} ({100 * t / H100_INT8_DENSE_TOPS:.1f} %)"
        fmt = lambda v: f"{v:.3f}" if v else "-"
        print(f"| {r['model']} | {r['precision']} | {r['check']} | {r['wall_ms']:.3f} | "
              f"{r['device_ms']:.3f} | {fmt(f16)} | {fmt(i8)} | {ratio} | {tops} |")
    if have_torch:
        for g in json.load(open(os.path.join(out, "gemms.json"))):
            t = peers[(g["name"], "int8")]
            tops = 2 * g["m"] * g["k"] * g["n"] / (t * 1e-3) / 1e12
            print(f"torch._int_mm {g['name']}: {tops:.1f} TOPS ({100 * tops / H100_INT8_DENSE_TOPS:.1f} % of dense peak)")
    else:
        print("PyTorch with CUDA not available: no peer figures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
