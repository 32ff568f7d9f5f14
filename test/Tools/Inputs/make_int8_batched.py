"""Writes MatMulInteger models of two run-time operands (the shape of
attention's Q x K^T and P x V), their inputs (.inputs.npz) and numpy's
exact int32 products into DIR, for test/Tools/int8-batched-matmul.test:

  batched-4d.onnx  a u8 [2, 3, 19, 13] x b s8 [2, 3, 13, 21]: K = 13 and
                   N = 21 are not multiples of 4 and 16 (padding on both),
                   M = 19 has 2 full 8-row tiles and 3 single rows
  batched-3d.onnx  a u8 [4, 9, 32] x b s8 [4, 32, 48], symbolic dims
  plain-2d.onnx    a u8 [17, 8] x b s8 [8, 16]: no batch
Extreme values (255, 0, -128, 127) are in every operand.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper

out = sys.argv[1]
rng = np.random.default_rng(21)


def model(name, a_shape, b_shape, a_dims, b_dims, y_dims):
    a = rng.integers(0, 256, a_shape).astype(np.uint8)
    b = rng.integers(-128, 128, b_shape).astype(np.int8)
    a.flat[0], a.flat[1], b.flat[0], b.flat[1] = 255, 0, -128, 127
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "b"], ["y"], name="mm")], name,
        [helper.make_tensor_value_info("a", TensorProto.UINT8, a_dims),
         helper.make_tensor_value_info("b", TensorProto.INT8, b_dims)],
        [helper.make_tensor_value_info("y", TensorProto.INT32, y_dims)])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(m.SerializeToString())
    np.savez(os.path.join(out, name + ".inputs.npz"), a=a, b=b)
    np.save(os.path.join(out, name + ".ref.npy"),
            np.matmul(a.astype(np.int64), b.astype(np.int64)).astype(np.int32))


model("batched-4d", (2, 3, 19, 13), (2, 3, 13, 21),
      [2, 3, 19, 13], [2, 3, 13, 21], [2, 3, 19, 21])
model("batched-3d", (4, 9, 32), (4, 32, 48),
      ["B", "M", 32], ["B", 32, "N"], ["B", "M", "N"])
model("plain-2d", (17, 8), (8, 16), [17, 8], [8, 16], [17, 16])
