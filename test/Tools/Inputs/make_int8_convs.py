"""Writes integer convolution models with constant weights, their inputs
and numpy references into DIR, for test/Tools/int8-conv.test:

  conv-integer.onnx  ConvInteger, x u8 [2, 3, 16, 16] with zero point 7,
                     w s8 [20, 3, 3, 3], pads 1 (K = 27: not a multiple of
                     4; 20 channels: two 8-row tiles and 4 single rows)
  conv-stride.onnx   ConvInteger, x u8 [1, 8, 16, 16] without zero point,
                     w s8 [16, 8, 3, 3], strides 2, pads 1 (OW = 8: two
                     output rows per 16-lane column block), dilation 1;
                     and w s8 [16, 8, 2, 2] dilation 2 after it
  qlinear-conv.onnx  QLinearConv, u8 in / out, s8 per-channel weights,
                     int32 bias, pads 1
  conv-rows14.onnx   ConvInteger, x u8 [1, 8, 14, 14], pads 1: OW = 14,
                     rows padded to 16 columns
  conv-rows7.onnx    the same input, strides 2: OW = 7 (16 columns)
Extreme bytes (0, 255, -128, 127) are in every input and weight.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(8)


def conv_ref(x, w, zp=0, pads=(0, 0), strides=(1, 1), dilations=(1, 1)):
    x = x.astype(np.int64) - zp
    x = np.pad(x, ((0, 0), (0, 0), (pads[0],) * 2, (pads[1],) * 2))
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    oh = (h - (kh - 1) * dilations[0] - 1) // strides[0] + 1
    ow = (wd - (kw - 1) * dilations[1] - 1) // strides[1] + 1
    y = np.zeros((n, f, oh, ow), np.int64)
    for i in range(kh):
        for j in range(kw):
            r0, c0 = i * dilations[0], j * dilations[1]
            patch = x[:, :, r0:r0 + strides[0] * (oh - 1) + 1:strides[0],
                      c0:c0 + strides[1] * (ow - 1) + 1:strides[1]]
            y += np.einsum("nchw,fc->nfhw", patch, w[:, :, i, j].astype(np.int64))
    return y


def u8(shape):
    a = rng.integers(0, 256, shape).astype(np.uint8)
    a.flat[0], a.flat[1] = 255, 0
    return a


def s8(shape):
    a = rng.integers(-128, 128, shape).astype(np.int8)
    a.flat[0], a.flat[1] = 127, -128
    return a


def save(nodes, inputs, outputs, inits, name):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


# ConvInteger with an input zero point and padding.
x = u8((2, 3, 16, 16))
w = s8((20, 3, 3, 3))
save([helper.make_node("ConvInteger", ["x", "w", "zp"], ["y"], name="conv",
                       pads=[1, 1, 1, 1])],
     [helper.make_tensor_value_info("x", TensorProto.UINT8, x.shape)],
     [helper.make_tensor_value_info("y", TensorProto.INT32, [2, 20, 16, 16])],
     [numpy_helper.from_array(w, "w"),
      numpy_helper.from_array(np.array(7, np.uint8), "zp")], "conv-integer")
np.save(os.path.join(out, "conv-integer.x.npy"), x)
np.save(os.path.join(out, "conv-integer.ref.npy"),
        conv_ref(x, w, zp=7, pads=(1, 1)).astype(np.int32))

# Strided, then dilated (the second conv's input is the first's output,
# clipped back to u8 through Clip + Cast).
x = u8((1, 8, 16, 16))
w1 = s8((16, 8, 3, 3))
w2 = s8((16, 16, 2, 2))
save([helper.make_node("ConvInteger", ["x", "w1"], ["a"], name="strided",
                       strides=[2, 2], pads=[1, 1, 1, 1]),
      helper.make_node("Div", ["a", "d"], ["a1"], name="shift"),
      helper.make_node("Clip", ["a1", "lo", "hi"], ["a2"], name="clip"),
      helper.make_node("Cast", ["a2"], ["a3"], name="to_u8", to=TensorProto.UINT8),
      helper.make_node("ConvInteger", ["a3", "w2"], ["y"], name="dilated",
                       dilations=[2, 2], pads=[1, 1, 1, 1])],
     [helper.make_tensor_value_info("x", TensorProto.UINT8, x.shape)],
     [helper.make_tensor_value_info("y", TensorProto.INT32, [1, 16, 8, 8])],
     [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(w2, "w2"),
      numpy_helper.from_array(np.array(64, np.int32), "d"),
      numpy_helper.from_array(np.array(0, np.int32), "lo"),
      numpy_helper.from_array(np.array(255, np.int32), "hi")], "conv-stride")
a = conv_ref(x, w1, pads=(1, 1), strides=(2, 2))
a = np.clip(np.trunc(a / 64), 0, 255).astype(np.uint8)
np.save(os.path.join(out, "conv-stride.x.npy"), x)
np.save(os.path.join(out, "conv-stride.ref.npy"),
        conv_ref(a, w2, pads=(1, 1), dilations=(2, 2)).astype(np.int32))

# QLinearConv: u8 -> u8 with per-channel weight scales and an int32 bias.
x = u8((1, 16, 8, 8))
w = s8((32, 16, 3, 3))
xs, xz = np.float32(0.02), np.uint8(100)
ws = (rng.uniform(0.5, 1.5, 32) * 0.004).astype(np.float32)
b = rng.integers(-3000, 3000, 32).astype(np.int32)
ys, yz = np.float32(0.25), np.uint8(128)
save([helper.make_node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"],
                       ["y"], name="qconv", pads=[1, 1, 1, 1])],
     [helper.make_tensor_value_info("x", TensorProto.UINT8, x.shape)],
     [helper.make_tensor_value_info("y", TensorProto.UINT8, [1, 32, 8, 8])],
     [numpy_helper.from_array(np.array(xs), "xs"), numpy_helper.from_array(np.array(xz), "xz"),
      numpy_helper.from_array(w, "w"), numpy_helper.from_array(ws, "ws"),
      numpy_helper.from_array(np.zeros(32, np.int8), "wz"),
      numpy_helper.from_array(np.array(ys), "ys"), numpy_helper.from_array(np.array(yz), "yz"),
      numpy_helper.from_array(b, "b")], "qlinear-conv")
acc = conv_ref(x, w, zp=int(xz), pads=(1, 1)) + b[None, :, None, None]
y = np.rint(acc * (xs * ws / ys)[None, :, None, None].astype(np.float64)) + int(yz)
np.save(os.path.join(out, "qlinear-conv.x.npy"), x)
np.save(os.path.join(out, "qlinear-conv.ref.npy"), np.clip(y, 0, 255).astype(np.uint8))


# Output rows that do not fill 16 lanes: padded rows (OW = 14 and 7).
x = u8((1, 8, 14, 14))
for name, strides, out_hw in (("conv-rows14", [1, 1], 14), ("conv-rows7", [2, 2], 7)):
    w = s8((16, 8, 3, 3))
    save([helper.make_node("ConvInteger", ["x", "w"], ["y"], name="conv",
                           strides=strides, pads=[1, 1, 1, 1])],
         [helper.make_tensor_value_info("x", TensorProto.UINT8, x.shape)],
         [helper.make_tensor_value_info("y", TensorProto.INT32, [1, 16, out_hw, out_hw])],
         [numpy_helper.from_array(w, "w")], name)
    np.save(os.path.join(out, name + ".x.npy"), x)
    np.save(os.path.join(out, name + ".ref.npy"),
            conv_ref(x, w, pads=(1, 1), strides=tuple(strides)).astype(np.int32))
