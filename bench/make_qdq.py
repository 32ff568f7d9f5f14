#!/usr/bin/env python3
"""Writes the W8A8 QDQ version of a float ONNX model from a qopt calibration
report, so that ONNX Runtime runs the same quantization qopt does:

    make_qdq.py MODEL.onnx REPORT.json OUT.onnx [--per-tensor-weights]
    make_qdq.py MODEL.onnx - OUT.onnx --dynamic

For every MatMul (constant [K, N] weight), Gemm (no transA, alpha = beta =
1, constant weight) and Conv (constant weight, channels on axis 0) node:
  - the activation gets QuantizeLinear -> DequantizeLinear, u8, with the
    scale / zero point the report lists for the observer of that tensor
    (observers are named after the producing node, or the graph input);
  - the weight becomes an int8 initializer quantized per output channel
    (symmetric, round half to even, clamped to [-127, 127], scale =
    max|w| / 127, as qopt-quantize does) behind a per-axis DequantizeLinear;
    with --per-tensor-weights, one scale for the whole weight (ONNX
    Runtime's quantizer default, and what its QLinearMatMul fusion needs).
A MatMul of two activations (attention) gets QDQ pairs on both inputs, as
ONNX Runtime's quantizer does. Other nodes are copied.

--dynamic writes what ONNX Runtime's quantize_dynamic (its recommended CPU
int8 mode for transformers) emits instead, and needs no report: every
MatMul with a constant [K, N] weight becomes DynamicQuantizeLinear(x) ->
MatMulInteger(x_q, W_q, x_zp, 0) -> Cast -> Mul(x_scale * w_scale), with
W_q s8 per tensor (ORT fuses this into DynamicQuantizeMatMul). Attention
MatMuls, Gemm and Conv stay float. Opset 13 or newer is needed for per-axis
DequantizeLinear; the model's opset is kept (the bench models use 17).
"""

import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_per_tensor(w):
    """Symmetric s8 per-tensor quantization: (q, scale), scale = max|w| / 127."""
    amax = np.abs(w).max()
    scale = np.float32(amax / 127.0 if amax > 0 else 1.0)
    return np.clip(np.rint(w / scale), -127, 127).astype(np.int8), scale


def save_rewritten(model, nodes, new_inits, out_path):
    """Replaces the graph's nodes, keeps the initializers they still use,
    appends `new_inits`, checks and saves the model."""
    graph = model.graph
    used = {i for n in nodes for i in n.input}
    kept = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept + new_inits)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, out_path)


def dynamic(model_path, out_path):
    model = onnx.load(model_path)
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    nodes, new_inits, count = [], [], 0
    for node in graph.node:
        w = inits.get(node.input[1]) if node.op_type == "MatMul" else None
        if w is None or len(w.dims) != 2:
            nodes.append(node)
            continue
        x, y, p = node.input[0], node.output[0], node.name or node.output[0]
        q, scale = quantize_per_tensor(numpy_helper.to_array(w).astype(np.float32))
        new_inits += [
            numpy_helper.from_array(q, p + ".wq"),
            numpy_helper.from_array(np.array(scale, np.float32), p + ".wscale"),
            numpy_helper.from_array(np.array(0, np.int8), p + ".wzp")]
        nodes += [
            helper.make_node("DynamicQuantizeLinear", [x],
                             [p + ".xq", p + ".xscale", p + ".xzp"]),
            helper.make_node("MatMulInteger", [p + ".xq", p + ".wq", p + ".xzp", p + ".wzp"],
                             [p + ".i32"], name=node.name),
            helper.make_node("Cast", [p + ".i32"], [p + ".f32"], to=TensorProto.FLOAT),
            helper.make_node("Mul", [p + ".xscale", p + ".wscale"], [p + ".scale"]),
            helper.make_node("Mul", [p + ".f32", p + ".scale"], [y])]
        count += 1
    save_rewritten(model, nodes, new_inits, out_path)
    print(f"make_qdq --dynamic: {count} MatMuls -> {out_path}")


def main(model_path, report_path, out_path, per_tensor=False):
    model = onnx.load(model_path)
    graph = model.graph
    report = json.load(open(report_path))
    params = {t["name"]: t["u8"] for t in report["tensors"] if "u8" in t}
    inits = {t.name: t for t in graph.initializer}
    # Observers are named after the producing node; qopt names an unnamed
    # node <op type>_<position in the graph>.
    producer = {o: (n.name or f"{n.op_type}_{i}")
                for i, n in enumerate(graph.node) for o in n.output}
    for i in graph.input:
        producer[i.name] = i.name
    nodes, new_inits, quantized = [], [], {}

    def quantize_activation(name):
        if name in quantized:
            return quantized[name]
        p = params.get(producer.get(name))
        if p is None:
            return None
        s, z = f"{name}.qscale", f"{name}.qzp"
        new_inits.append(numpy_helper.from_array(np.array(p["scale"], np.float32), s))
        new_inits.append(numpy_helper.from_array(np.array(p["zero_point"], np.uint8), z))
        nodes.append(helper.make_node("QuantizeLinear", [name, s, z], [name + ".q"]))
        nodes.append(helper.make_node("DequantizeLinear", [name + ".q", s, z], [name + ".dq"]))
        quantized[name] = name + ".dq"
        return quantized[name]

    def quantize_weight(name, axis):
        w = numpy_helper.to_array(inits[name]).astype(np.float32)
        if per_tensor:
            q, scale = quantize_per_tensor(w)
            zp = np.array(0, np.int8)
        else:
            others = tuple(d for d in range(w.ndim) if d != axis)
            amax = np.abs(w).max(axis=others)
            scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
            shape = [1] * w.ndim
            shape[axis] = -1
            q = np.clip(np.rint(w / scale.reshape(shape)), -127, 127).astype(np.int8)
            zp = np.zeros(scale.shape, np.int8)
        new_inits.append(numpy_helper.from_array(q, name + ".q"))
        new_inits.append(numpy_helper.from_array(np.asarray(scale, np.float32), name + ".wscale"))
        new_inits.append(numpy_helper.from_array(zp, name + ".wzp"))
        dq = dict(axis=axis) if not per_tensor else {}
        nodes.append(helper.make_node("DequantizeLinear",
                                      [name + ".q", name + ".wscale", name + ".wzp"],
                                      [name + ".dq"], **dq))
        return name + ".dq"

    count = 0
    for node in graph.node:
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        ok = (node.op_type in ("MatMul", "Conv") or
              (node.op_type == "Gemm" and not attrs.get("transA", 0) and
               attrs.get("alpha", 1.0) == 1.0 and attrs.get("beta", 1.0) == 1.0))
        if node.op_type == "MatMul" and node.input[1] not in inits and \
                node.input[0] not in inits:
            a, b = quantize_activation(node.input[0]), quantize_activation(node.input[1])
            if a is not None and b is not None:
                new = helper.make_node("MatMul", [a, b], list(node.output), name=node.name)
                nodes.append(new)
                count += 1
                continue
        weight_rank = 4 if node.op_type == "Conv" else 2
        if ok and len(node.input) >= 2 and node.input[1] in inits and \
                len(inits[node.input[1]].dims) == weight_rank:
            a = quantize_activation(node.input[0])
            if a is not None:
                axis = 0 if node.op_type == "Conv" or \
                    (node.op_type == "Gemm" and attrs.get("transB", 0)) else 1
                w = quantize_weight(node.input[1], axis)
                inputs = [a, w] + list(node.input[2:])
                new = helper.make_node(node.op_type, inputs, list(node.output), name=node.name)
                new.attribute.extend(node.attribute)
                nodes.append(new)
                count += 1
                continue
        nodes.append(node)
    save_rewritten(model, nodes, new_inits, out_path)
    print(f"make_qdq: {count} quantized MatMul/Gemm/Conv nodes -> {out_path}")


if __name__ == "__main__":
    flags = {"--per-tensor-weights", "--dynamic"}
    args = [a for a in sys.argv[1:] if a not in flags]
    if len(args) != 3:
        sys.exit(__doc__)
    if "--dynamic" in sys.argv[1:]:
        dynamic(args[0], args[2])
    else:
        main(*args, per_tensor="--per-tensor-weights" in sys.argv[1:])
