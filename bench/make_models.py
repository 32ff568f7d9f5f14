#!/usr/bin/env python3
"""Writes the benchmark models (fp32, fixed seeds) into a folder:

  mlp.onnx     MLP 1024 -> 4096 -> 4096 -> 1024 (MatMul + Add + Relu), batch 32
  cnn.onnx     small conv net: 3x[Conv3x3 + Relu] + MaxPool, GlobalAveragePool,
               Gemm; input 1x3x64x64
  tiny-gpt.onnx is the shipped example (examples/tiny-gpt).

Weights are too large to commit (the MLP holds 25 M parameters); this script
regenerates them byte for byte.

    /usr/bin/python3 bench/make_models.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def mlp(batch=32, dims=(1024, 4096, 4096, 1024)):
    rng = np.random.default_rng(7)
    nodes, inits = [], []
    x = "x"
    for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):
        w = (rng.standard_normal((a, b)) / np.sqrt(a)).astype(np.float32)
        bias = (rng.standard_normal(b) * 0.01).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"w{i}"),
                  numpy_helper.from_array(bias, f"b{i}")]
        nodes.append(helper.make_node("MatMul", [x, f"w{i}"], [f"mm{i}"], name=f"fc{i}"))
        last = i == len(dims) - 2
        out = "y" if last else f"h{i}"
        nodes.append(helper.make_node("Add", [f"mm{i}", f"b{i}"],
                                      [out if last else f"a{i}"], name=f"fc{i}.bias"))
        if not last:
            nodes.append(helper.make_node("Relu", [f"a{i}"], [out], name=f"relu{i}"))
        x = out
    graph = helper.make_graph(
        nodes, "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, dims[0]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [batch, dims[-1]])],
        inits)
    return graph


def cnn():
    rng = np.random.default_rng(11)
    nodes, inits = [], []
    x, c = "x", 3
    for i, co in enumerate((16, 32, 64)):
        w = (rng.standard_normal((co, c, 3, 3)) / np.sqrt(c * 9)).astype(np.float32)
        b = (rng.standard_normal(co) * 0.01).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"conv{i}.w"),
                  numpy_helper.from_array(b, f"conv{i}.b")]
        nodes.append(helper.make_node("Conv", [x, f"conv{i}.w", f"conv{i}.b"],
                                      [f"c{i}"], name=f"conv{i}",
                                      kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
        nodes.append(helper.make_node("Relu", [f"c{i}"], [f"r{i}"], name=f"relu{i}"))
        nodes.append(helper.make_node("MaxPool", [f"r{i}"], [f"p{i}"], name=f"pool{i}",
                                      kernel_shape=[2, 2], strides=[2, 2]))
        x, c = f"p{i}", co
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["gap"], name="gap"))
    nodes.append(helper.make_node("Flatten", ["gap"], ["flat"], name="flatten"))
    w = (rng.standard_normal((10, c)) / np.sqrt(c)).astype(np.float32)
    inits += [numpy_helper.from_array(w, "fc.w"),
              numpy_helper.from_array(np.zeros(10, np.float32), "fc.b")]
    nodes.append(helper.make_node("Gemm", ["flat", "fc.w", "fc.b"], ["y"],
                                  name="fc", transB=1))
    return helper.make_graph(
        nodes, "cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 64, 64])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])],
        inits)


def save(graph, path):
    model = helper.make_model(graph, producer_name="qopt-bench",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build/bench"
    os.makedirs(out, exist_ok=True)
    save(mlp(), os.path.join(out, "mlp.onnx"))
    save(cnn(), os.path.join(out, "cnn.onnx"))
    print(f"wrote {out}/mlp.onnx {out}/cnn.onnx")


if __name__ == "__main__":
    main()
