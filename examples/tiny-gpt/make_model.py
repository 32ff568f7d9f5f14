#!/usr/bin/env python3
"""Writes tiny-gpt.onnx: one GPT-2-style pre-norm transformer block.

The shapes are small (hidden 32, 4 heads, MLP 128) so the model ships in the
repository, but the graph has what a real exporter emits at opset 17:
LayerNormalization, MatMul + Add projections, Reshape/Transpose head split,
scaled-dot-product attention with Softmax, erf-form GELU and residual adds,
with symbolic `batch` and `seq` dimensions. Weights come from a fixed seed, so
re-running the script reproduces the file byte for byte.

    /usr/bin/python3 examples/tiny-gpt/make_model.py [-o tiny-gpt.onnx]
"""

import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HIDDEN, HEADS, MLP = 32, 4, 128
HEAD_DIM = HIDDEN // HEADS


class GraphBuilder:
    """Initializers and nodes of a graph under construction; weights are drawn
    from `rng` in call order (bench/make_models.py builds its transformers
    with it too)."""

    def __init__(self, rng):
        self.rng = rng
        self.nodes, self.inits = [], []

    def weight(self, name, shape, scale=None):
        """A normal(0, scale) initializer; scale defaults to 1/sqrt(fan-in)."""
        scale = scale if scale is not None else 1.0 / np.sqrt(shape[0])
        arr = (self.rng.standard_normal(shape) * scale).astype(np.float32)
        self.inits.append(numpy_helper.from_array(arr, name))
        return name

    def const(self, name, values, dtype=np.float32):
        self.inits.append(numpy_helper.from_array(np.array(values, dtype=dtype), name))
        return name

    def node(self, op, inputs, name, **attrs):
        """One node named `name` with one output `name`_out."""
        out = name + "_out"
        self.nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        return out


def build() -> onnx.ModelProto:
    b = GraphBuilder(np.random.default_rng(20261201))
    weight, const, node, nodes, inits = b.weight, b.const, b.node, b.nodes, b.inits

    x = "x"
    ln1 = node("LayerNormalization",
               [x, const("ln1.gamma", np.ones(HIDDEN)),
                const("ln1.beta", np.zeros(HIDDEN))],
               "ln1", axis=-1, epsilon=1e-5)
    qkv = node("MatMul", [ln1, weight("attn.qkv.weight", (HIDDEN, 3 * HIDDEN))],
               "attn.qkv")
    qkv = node("Add", [qkv, weight("attn.qkv.bias", (3 * HIDDEN,), 0.02)],
               "attn.qkv.add")
    nodes.append(helper.make_node(
        "Split", [qkv, const("attn.split", [HIDDEN] * 3, np.int64)],
        ["q", "k", "v"], name="attn.split", axis=-1))
    heads_shape = const("attn.heads_shape", [0, 0, HEADS, HEAD_DIM], np.int64)
    q = node("Transpose", [node("Reshape", ["q", heads_shape], "attn.q.reshape")],
             "attn.q.transpose", perm=[0, 2, 1, 3])
    k = node("Transpose", [node("Reshape", ["k", heads_shape], "attn.k.reshape")],
             "attn.k.transpose", perm=[0, 2, 3, 1])
    v = node("Transpose", [node("Reshape", ["v", heads_shape], "attn.v.reshape")],
             "attn.v.transpose", perm=[0, 2, 1, 3])
    scores = node("MatMul", [q, k], "attn.scores")
    scores = node("Div", [scores, const("attn.scale", np.sqrt(HEAD_DIM))],
                  "attn.scale.div")
    probs = node("Softmax", [scores], "attn.softmax", axis=-1)
    ctx = node("MatMul", [probs, v], "attn.context")
    ctx = node("Transpose", [ctx], "attn.context.transpose", perm=[0, 2, 1, 3])
    ctx = node("Reshape", [ctx, const("attn.merge_shape", [0, 0, HIDDEN], np.int64)],
               "attn.context.reshape")
    proj = node("MatMul", [ctx, weight("attn.proj.weight", (HIDDEN, HIDDEN))],
                "attn.proj")
    proj = node("Add", [proj, weight("attn.proj.bias", (HIDDEN,), 0.02)],
                "attn.proj.add")
    h = node("Add", [x, proj], "residual1")

    ln2 = node("LayerNormalization",
               [h, const("ln2.gamma", np.ones(HIDDEN)),
                const("ln2.beta", np.zeros(HIDDEN))],
               "ln2", axis=-1, epsilon=1e-5)
    fc1 = node("MatMul", [ln2, weight("mlp.fc1.weight", (HIDDEN, MLP))], "mlp.fc1")
    fc1 = node("Add", [fc1, weight("mlp.fc1.bias", (MLP,), 0.02)], "mlp.fc1.add")
    # GELU, erf form: 0.5 * x * (1 + erf(x / sqrt(2)))
    g = node("Div", [fc1, const("gelu.sqrt2", np.sqrt(2.0))], "gelu.div")
    g = node("Erf", [g], "gelu.erf")
    g = node("Add", [g, const("gelu.one", 1.0)], "gelu.add")
    g = node("Mul", [fc1, g], "gelu.mul")
    g = node("Mul", [g, const("gelu.half", 0.5)], "gelu.half.mul")
    fc2 = node("MatMul", [g, weight("mlp.fc2.weight", (MLP, HIDDEN))], "mlp.fc2")
    fc2 = node("Add", [fc2, weight("mlp.fc2.bias", (HIDDEN,), 0.02)], "mlp.fc2.add")
    nodes.append(helper.make_node("Add", [h, fc2], ["y"], name="residual2"))

    dims = ["batch", "seq", HIDDEN]
    graph = helper.make_graph(
        nodes, "tiny_gpt",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, dims)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, dims)],
        inits)
    model = helper.make_model(graph, producer_name="qopt-examples",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "tiny-gpt.onnx"))
    args = parser.parse_args()
    onnx.save(build(), args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
