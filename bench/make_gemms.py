#!/usr/bin/env python3
"""GEMM models and inputs for the GEMM benchmarks (fixed seeds).

    make_gemms.py OUT [MxKxN,...]

For each (M, K, N) (default: the GPU shapes of bench/cuda): OUT/gemm-MxKxN.onnx
(Y = X @ W, W a constant [K, N] float32), OUT/gemm-MxKxN-x.npy (the input)
and OUT/cal-gemm-MxKxN/ (four calibration samples), and OUT/gemms.json
listing them. When OUT/mlp.onnx exists, also OUT/mlp-weights.npz: the bench
MLP's initializers, so bench/cuda/run.py can rebuild it in PyTorch without
the onnx package.
"""

import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SHAPES = [(128, 4096, 4096), (1024, 4096, 4096), (4096, 4096, 4096)]


def gemm(m, k, n, rng):
    w = (rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"], name="matmul")],
        f"gemm_{m}x{k}x{n}",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])],
        [numpy_helper.from_array(w, "w")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def main(out, shapes):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(11)
    names = []
    for m, k, n in shapes:
        name = f"gemm-{m}x{k}x{n}"
        onnx.save(gemm(m, k, n, rng), os.path.join(out, name + ".onnx"))
        np.save(os.path.join(out, name + "-x.npy"),
                rng.standard_normal((m, k)).astype(np.float32))
        cal = os.path.join(out, "cal-" + name)
        os.makedirs(cal, exist_ok=True)
        for i in range(4):
            np.savez(os.path.join(cal, f"s{i}.npz"),
                     x=rng.standard_normal((m, k)).astype(np.float32))
        names.append({"name": name, "m": m, "k": k, "n": n})
    if os.path.exists(os.path.join(out, "mlp.onnx")):
        mlp = onnx.load(os.path.join(out, "mlp.onnx"))
        np.savez(os.path.join(out, "mlp-weights.npz"),
                 **{t.name: numpy_helper.to_array(t) for t in mlp.graph.initializer})
    with open(os.path.join(out, "gemms.json"), "w") as f:
        json.dump(names, f, indent=1)


if __name__ == "__main__":
    shapes = SHAPES
    if len(sys.argv) > 2:
        shapes = [tuple(int(v) for v in s.split("x")) for s in sys.argv[2].split(",")]
    main(sys.argv[1], shapes)
