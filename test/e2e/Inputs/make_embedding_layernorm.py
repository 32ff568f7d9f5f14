#!/usr/bin/env python3
"""An embedding lookup (Gather) plus positions feeding a LayerNorm, the
start of every GPT, with a numpy reference: OUT/embed-ln.onnx,
OUT/tokens.npy ([32, 64] int64) and OUT/ref/y.npy.

    make_embedding_layernorm.py OUT
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

V, H, T = 97, 96, 64


def main(out):
    rng = np.random.default_rng(0)
    emb = rng.standard_normal((V, H)).astype(np.float32)
    pos = rng.standard_normal((T, H)).astype(np.float32)
    gamma = (1 + 0.1 * rng.standard_normal(H)).astype(np.float32)
    beta = (0.1 * rng.standard_normal(H)).astype(np.float32)
    inits = [numpy_helper.from_array(a, n) for a, n in
             ((emb, "emb"), (pos, "pos"), (gamma, "gamma"), (beta, "beta"))]
    nodes = [helper.make_node("Gather", ["emb", "tokens"], ["e"], name="embed"),
             helper.make_node("Add", ["e", "pos"], ["x"], name="add_pos"),
             helper.make_node("LayerNormalization", ["x", "gamma", "beta"], ["y"],
                              name="ln", axis=-1, epsilon=1e-5)]
    graph = helper.make_graph(
        nodes, "embed_ln",
        [helper.make_tensor_value_info("tokens", TensorProto.INT64, ["batch", T])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", T, H])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "embed-ln.onnx"))
    tokens = rng.integers(0, V, size=(32, T)).astype(np.int64)
    np.save(os.path.join(out, "tokens.npy"), tokens)
    x = emb[tokens].astype(np.float64) + pos
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    y = (x - mean) / np.sqrt(var + 1e-5) * gamma + beta
    os.makedirs(os.path.join(out, "ref"), exist_ok=True)
    np.save(os.path.join(out, "ref", "y.npy"), y.astype(np.float32))


if __name__ == "__main__":
    main(sys.argv[1])
