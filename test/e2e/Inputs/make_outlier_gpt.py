#!/usr/bin/env python3
"""A GPT-style decoder whose LayerNorm outputs carry outlier channels, for
smoothquant.test: OUT/outlier-gpt.onnx, OUT/cal-outlier/s00..s15.npz (key
x) and OUT/test-outlier.npy.

Two pre-norm blocks (hidden 64, 4 heads, MLP 256, erf GELU) and a final
LayerNorm + linear head. In every LayerNorm, channels 3, 17 and 40 have
gamma and beta scaled up 50x and the rows of the weights that read them
scaled down 50x: the function is the one of the unscaled model, but those
channels of the normalized activations are ~50x the others, as in the large
language models SmoothQuant was made for. Fixed seed: the same bytes every
run.

    make_outlier_gpt.py OUT
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HIDDEN, HEADS, MLP, BLOCKS, SEQ = 64, 4, 256, 2, 32
HEAD_DIM = HIDDEN // HEADS
OUTLIERS = [3, 17, 40]
FACTOR = 50.0


def build(rng):
    inits, nodes = [], []

    def init(name, arr):
        inits.append(numpy_helper.from_array(np.asarray(arr, np.float32)
                                             if arr.dtype != np.int64 else arr,
                                             name))
        return name

    def weight(name, shape, scale=None):
        scale = 1.0 / np.sqrt(shape[0]) if scale is None else scale
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def node(op, inputs, name, **attrs):
        out = name + "_out"
        nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        return out

    def layer_norm(x, name):
        gamma = (1.0 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32)
        beta = (0.1 * rng.standard_normal(HIDDEN)).astype(np.float32)
        gamma[OUTLIERS] *= FACTOR
        beta[OUTLIERS] *= FACTOR
        return node("LayerNormalization",
                    [x, init(name + ".gamma", gamma), init(name + ".beta", beta)],
                    name, axis=-1, epsilon=1e-5)

    def linear(x, name, w, bias=True, outlier_rows=False):
        if outlier_rows:
            w = w.copy()
            w[OUTLIERS, :] /= FACTOR
        y = node("MatMul", [x, init(name + ".weight", w)], name)
        if bias:
            b = (0.02 * rng.standard_normal(w.shape[1])).astype(np.float32)
            y = node("Add", [y, init(name + ".bias", b)], name + ".add")
        return y

    heads_shape = init("heads_shape", np.array([0, 0, HEADS, HEAD_DIM], np.int64))
    merge_shape = init("merge_shape", np.array([0, 0, HIDDEN], np.int64))
    split = init("split", np.array([HIDDEN] * 3, np.int64))
    scale = init("attn_scale", np.array(np.sqrt(HEAD_DIM), np.float32))
    sqrt2 = init("sqrt2", np.array(np.sqrt(2.0), np.float32))
    one = init("one", np.array(1.0, np.float32))
    half = init("half", np.array(0.5, np.float32))

    h = "x"
    for b in range(BLOCKS):
        p = f"h{b}"
        ln1 = layer_norm(h, p + ".ln1")
        qkv = linear(ln1, p + ".attn.qkv", weight("", (HIDDEN, 3 * HIDDEN)),
                     outlier_rows=True)
        qn, kn, vn = p + ".q", p + ".k", p + ".v"
        nodes.append(helper.make_node("Split", [qkv, split], [qn, kn, vn],
                                      name=p + ".attn.split", axis=-1))
        heads = []
        for t, perm in ((qn, [0, 2, 1, 3]), (kn, [0, 2, 3, 1]), (vn, [0, 2, 1, 3])):
            r = node("Reshape", [t, heads_shape], t + ".reshape")
            heads.append(node("Transpose", [r], t + ".transpose", perm=perm))
        s = node("MatMul", heads[:2], p + ".attn.scores")
        s = node("Div", [s, scale], p + ".attn.scale")
        s = node("Softmax", [s], p + ".attn.softmax", axis=-1)
        c = node("MatMul", [s, heads[2]], p + ".attn.context")
        c = node("Transpose", [c], p + ".attn.merge", perm=[0, 2, 1, 3])
        c = node("Reshape", [c, merge_shape], p + ".attn.merge.reshape")
        o = linear(c, p + ".attn.proj", weight("", (HIDDEN, HIDDEN)))
        h = node("Add", [h, o], p + ".residual1")
        ln2 = layer_norm(h, p + ".ln2")
        f = linear(ln2, p + ".mlp.fc1", weight("", (HIDDEN, MLP)),
                   outlier_rows=True)
        g = node("Div", [f, sqrt2], p + ".gelu.div")
        g = node("Erf", [g], p + ".gelu.erf")
        g = node("Add", [g, one], p + ".gelu.add")
        g = node("Mul", [f, g], p + ".gelu.mul")
        g = node("Mul", [g, half], p + ".gelu.half")
        f = linear(g, p + ".mlp.fc2", weight("", (MLP, HIDDEN)))
        h = node("Add", [h, f], p + ".residual2")
    lnf = layer_norm(h, "ln_f")
    y = linear(lnf, "head", weight("", (HIDDEN, HIDDEN)), bias=False,
               outlier_rows=True)
    nodes.append(helper.make_node("Identity", [y], ["y"], name="output"))

    dims = ["batch", "seq", HIDDEN]
    graph = helper.make_graph(
        nodes, "outlier_gpt",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, dims)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, dims)], inits)
    model = helper.make_model(graph, producer_name="qopt-tests",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main(out):
    rng = np.random.default_rng(20261202)
    os.makedirs(out, exist_ok=True)
    onnx.save(build(rng), os.path.join(out, "outlier-gpt.onnx"))
    folder = os.path.join(out, "cal-outlier")
    os.makedirs(folder, exist_ok=True)
    shape = (1, SEQ, HIDDEN)
    for i in range(16):
        np.savez(os.path.join(folder, f"s{i:02d}.npz"),
                 x=rng.standard_normal(shape).astype(np.float32))
    np.save(os.path.join(out, "test-outlier.npy"),
            rng.standard_normal(shape).astype(np.float32))


if __name__ == "__main__":
    main(sys.argv[1])
