#!/usr/bin/env python3
"""Writes the benchmark models (fp32, fixed seeds) into a folder:

  mlp.onnx     MLP 1024 -> 4096 -> 4096 -> 1024 (MatMul + Add + Relu), batch 32
  cnn.onnx     small conv net: 3x[Conv3x3 + Relu] + MaxPool, GlobalAveragePool,
               Gemm; input 1x3x64x64
  gpt-256.onnx  GPT-2-style pre-norm transformer: 4 blocks, hidden 256, 4 heads,
               MLP 1024; input 1x128x256 (128 tokens)
  gpt-1024.onnx the same with 2 blocks, hidden 1024, 16 heads, MLP 4096;
               input 1x32x1024 (32 tokens)
  tiny-gpt.onnx is the shipped example (examples/tiny-gpt).

The transformers are what a PyTorch exporter writes at opset 17 for a GPT-2
block (LayerNormalization, MatMul + Add projections, Reshape/Transpose head
split, Softmax attention, erf-form GELU, residual adds), with the sequence
length fixed; their GEMMs are the shapes bench/gemm.sh measures (M = 32 or
128 tokens, K/N in {256, 1024, 4096}).

Weights are too large to commit (the MLP holds 25 M parameters); this script
regenerates them byte for byte.

    /usr/bin/python3 bench/make_models.py OUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "examples", "tiny-gpt"))
from make_model import GraphBuilder  # noqa: E402  (the example's builder)


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


def gpt(hidden, heads, mlp_dim, layers, seq, seed):
    b = GraphBuilder(np.random.default_rng(seed))
    head_dim = hidden // heads
    weight, const, node, nodes, inits = b.weight, b.const, b.node, b.nodes, b.inits

    def layer_norm(x, name):
        gamma = weight(name + ".gamma", (hidden,), 0.1)
        inits[-1] = numpy_helper.from_array(
            1 + numpy_helper.to_array(inits[-1]), name + ".gamma")
        return node("LayerNormalization",
                    [x, gamma, weight(name + ".beta", (hidden,), 0.02)],
                    name, axis=-1, epsilon=1e-5)

    def linear(x, name, k, n):
        y = node("MatMul", [x, weight(name + ".weight", (k, n))], name)
        return node("Add", [y, weight(name + ".bias", (n,), 0.02)], name + ".add")

    heads_shape = const("heads_shape", [0, 0, heads, head_dim], np.int64)
    merge_shape = const("merge_shape", [0, 0, hidden], np.int64)
    split = const("qkv_split", [hidden] * 3, np.int64)
    scale = const("attn_scale", np.sqrt(head_dim))
    sqrt2, one, half = const("sqrt2", np.sqrt(2.0)), const("one", 1.0), const("half", 0.5)
    x = "x"
    for i in range(layers):
        p = f"h{i}."
        qkv = linear(layer_norm(x, p + "ln1"), p + "attn.qkv", hidden, 3 * hidden)
        q, k, v = p + "q", p + "k", p + "v"
        nodes.append(helper.make_node("Split", [qkv, split], [q, k, v],
                                      name=p + "attn.split", axis=-1))
        q = node("Transpose", [node("Reshape", [q, heads_shape], p + "attn.q.reshape")],
                 p + "attn.q.transpose", perm=[0, 2, 1, 3])
        k = node("Transpose", [node("Reshape", [k, heads_shape], p + "attn.k.reshape")],
                 p + "attn.k.transpose", perm=[0, 2, 3, 1])
        v = node("Transpose", [node("Reshape", [v, heads_shape], p + "attn.v.reshape")],
                 p + "attn.v.transpose", perm=[0, 2, 1, 3])
        s = node("Div", [node("MatMul", [q, k], p + "attn.scores"), scale], p + "attn.scale")
        ctx = node("MatMul", [node("Softmax", [s], p + "attn.softmax", axis=-1), v],
                   p + "attn.context")
        ctx = node("Transpose", [ctx], p + "attn.context.transpose", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, merge_shape], p + "attn.context.reshape")
        h = node("Add", [x, linear(ctx, p + "attn.proj", hidden, hidden)], p + "residual1")
        f = linear(layer_norm(h, p + "ln2"), p + "mlp.fc1", hidden, mlp_dim)
        g = node("Erf", [node("Div", [f, sqrt2], p + "gelu.div")], p + "gelu.erf")
        g = node("Mul", [f, node("Add", [g, one], p + "gelu.add")], p + "gelu.mul")
        g = node("Mul", [g, half], p + "gelu.half")
        x = node("Add", [h, linear(g, p + "mlp.fc2", mlp_dim, hidden)], p + "residual2")
    nodes[-1].output[0] = "y"
    dims = [1, seq, hidden]
    return helper.make_graph(
        nodes, f"gpt{hidden}",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, dims)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, dims)],
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
    save(gpt(256, 4, 1024, 4, 128, seed=13), os.path.join(out, "gpt-256.onnx"))
    save(gpt(1024, 16, 4096, 2, 32, seed=17), os.path.join(out, "gpt-1024.onnx"))
    print(f"wrote {out}/mlp.onnx {out}/cnn.onnx {out}/gpt-256.onnx {out}/gpt-1024.onnx")


if __name__ == "__main__":
    main()
