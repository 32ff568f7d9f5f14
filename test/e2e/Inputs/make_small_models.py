#!/usr/bin/env python3
"""Small models for the e2e tests (fixed seeds):
  mlp.onnx  [N, 96] -> MatMul 96x160 + Add + Relu -> MatMul 160x64 + Add,
            N symbolic (exercises weight packing, peeled tiles, remainders)
  cnn.onnx  [1, 3, 20, 20] -> Conv3x3(pad 1) + BatchNorm + Relu + MaxPool2
            -> Conv3x3 stride 2 + Relu -> GlobalAveragePool -> Flatten -> Gemm
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main(out):
    rng = np.random.default_rng(3)
    f = lambda *s: rng.standard_normal(s).astype(np.float32)
    init = numpy_helper.from_array
    mlp = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w0"], ["m0"]),
         helper.make_node("Add", ["m0", "b0"], ["a0"]),
         helper.make_node("Relu", ["a0"], ["r0"]),
         helper.make_node("MatMul", ["r0", "w1"], ["m1"]),
         helper.make_node("Add", ["m1", "b1"], ["y"])],
        "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 96])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 64])],
        [init(f(96, 160) * 0.1, "w0"), init(f(160), "b0"),
         init(f(160, 64) * 0.1, "w1"), init(f(64), "b1")])
    save(mlp, os.path.join(out, "mlp.onnx"))

    cnn = helper.make_graph(
        [helper.make_node("Conv", ["x", "cw0", "cb0"], ["c0"], kernel_shape=[3, 3],
                          pads=[1, 1, 1, 1]),
         helper.make_node("BatchNormalization", ["c0", "s", "bb", "mean", "var"], ["n0"]),
         helper.make_node("Relu", ["n0"], ["r0"]),
         helper.make_node("MaxPool", ["r0"], ["p0"], kernel_shape=[2, 2], strides=[2, 2]),
         helper.make_node("Conv", ["p0", "cw1", "cb1"], ["c1"], kernel_shape=[3, 3],
                          strides=[2, 2]),
         helper.make_node("Relu", ["c1"], ["r1"]),
         helper.make_node("GlobalAveragePool", ["r1"], ["g"]),
         helper.make_node("Flatten", ["g"], ["fl"]),
         helper.make_node("Gemm", ["fl", "fw", "fb"], ["y"], transB=1)],
        "cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 20, 20])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])],
        [init(f(8, 3, 3, 3) * 0.3, "cw0"), init(f(8) * 0.1, "cb0"),
         init(np.abs(f(8)) + 0.5, "s"), init(f(8) * 0.1, "bb"),
         init(f(8) * 0.1, "mean"), init(np.abs(f(8)) + 0.5, "var"),
         init(f(16, 8, 3, 3) * 0.2, "cw1"), init(f(16) * 0.1, "cb1"),
         init(f(10, 16) * 0.3, "fw"), init(f(10), "fb")])
    save(cnn, os.path.join(out, "cnn.onnx"))


if __name__ == "__main__":
    main(sys.argv[1])
