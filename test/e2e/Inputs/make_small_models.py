#!/usr/bin/env python3
"""Small models for the e2e tests (fixed seeds):
  mlp.onnx  [N, 96] -> MatMul 96x160 + Add + Relu -> MatMul 160x64 + Add,
            N symbolic (exercises weight packing, peeled tiles, remainders)
  cnn.onnx  [1, 3, 20, 20] -> Conv3x3(pad 1) + BatchNorm + Relu + MaxPool2
            -> Conv3x3 stride 2 + Relu -> GlobalAveragePool -> Flatten -> Gemm
  convs.onnx  convolution and pooling variants, one output each, on inputs
            x [2, 4, 16, 32], z [1, 3, 32, 64], u [1, 5, 16, 16],
            v [1, 2, 6, 80]: zero pads (symmetric and not), H stride and
            dilation, output rows of 64 (two chunks) and 16 (two rows per
            panel), 1x1, W stride 2 (upstream im2col), max/average pools
            with strides, pads and a row tail
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

    conv = lambda name, x, w, **kw: helper.make_node(
        "Conv", [x, w, "b" + w[1:]], [name], **kw)
    pool = lambda op, name, x, **kw: helper.make_node(op, [x], [name], **kw)
    specs = [  # output, node, shape
        ("c_pad", conv("c_pad", "x", "w4a", kernel_shape=[3, 3], pads=[1, 1, 1, 1]), [2, 6, 16, 32]),
        ("c_asym", conv("c_asym", "x", "w4b", kernel_shape=[3, 3], pads=[2, 0, 0, 2]), [2, 6, 16, 32]),
        ("c_sh2", conv("c_sh2", "x", "w4c", kernel_shape=[3, 3], strides=[2, 1], pads=[1, 1, 1, 1]), [2, 6, 8, 32]),
        ("c_dil", conv("c_dil", "x", "w4d", kernel_shape=[3, 3], dilations=[2, 1], pads=[2, 1, 2, 1]), [2, 6, 16, 32]),
        ("c_1x1", conv("c_1x1", "x", "w4e", kernel_shape=[1, 1]), [2, 6, 16, 32]),
        ("c_sw2", conv("c_sw2", "x", "w4f", kernel_shape=[3, 3], strides=[1, 2], pads=[1, 1, 1, 1]), [2, 6, 16, 16]),
        ("c_wide", conv("c_wide", "z", "w3a", kernel_shape=[5, 5], pads=[2, 2, 2, 2]), [1, 6, 32, 64]),
        ("c_narrow", conv("c_narrow", "u", "w5a", kernel_shape=[3, 3], pads=[1, 1, 1, 1]), [1, 6, 16, 16]),
        ("p_max", pool("MaxPool", "p_max", "x", kernel_shape=[2, 2], strides=[2, 2]), [2, 4, 8, 16]),
        ("p_max3", pool("MaxPool", "p_max3", "z", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]), [1, 3, 16, 32]),
        ("p_tail", pool("MaxPool", "p_tail", "v", kernel_shape=[2, 2], strides=[2, 2]), [1, 2, 3, 40]),
        ("p_avg", pool("AveragePool", "p_avg", "x", kernel_shape=[2, 2], strides=[2, 2]), [2, 4, 8, 16]),
        ("p_avgpad", pool("AveragePool", "p_avgpad", "u", kernel_shape=[3, 3], pads=[1, 1, 1, 1]), [1, 5, 16, 16]),
    ]
    weights = []
    for prefix, cin, k in (("w4", 4, 3), ("w3", 3, 5), ("w5", 5, 3)):
        for tag in "abcdef":
            size = 1 if (prefix, tag) == ("w4", "e") else k
            weights.append(init(f(6, cin, size, size) * 0.3, prefix + tag))
            weights.append(init(f(6) * 0.1, "b" + prefix[1:] + tag))
    convs = helper.make_graph(
        [node for _, node, _ in specs], "convs",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
         for n, s in (("x", [2, 4, 16, 32]), ("z", [1, 3, 32, 64]),
                      ("u", [1, 5, 16, 16]), ("v", [1, 2, 6, 80]))],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
         for n, _, s in specs],
        weights)
    save(convs, os.path.join(out, "convs.onnx"))


if __name__ == "__main__":
    main(sys.argv[1])
