#!/usr/bin/env python3
"""GEMM models and inputs for bench/cuda (fixed seeds).

    make_gemms.py OUT

For each (M, K, N) in SHAPES: OUT/gemm-MxKxN.onnx (Y = X @ W, W a constant
[K, N] float32), OUT/gemm-MxKxN-x.npy (the input) and OUT/cal-gemm-MxKxN/
(four calibration samples). Also OUT/mlp-weights.npz: the bench MLP's
initializers, so run.py can rebuild it in PyTorch without the onnx package.
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


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(11)
    names = []
    for m, k, n in SHAPES:
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
    mlp = onnx.load(os.path.join(out, "mlp.onnx"))
    np.savez(os.path.join(out, "mlp-weights.npz"),
             **{t.name: numpy_helper.to_array(t) for t in mlp.graph.initializer})
    with open(os.path.join(out, "gemms.json"), "w") as f:
        json.dump(names, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
