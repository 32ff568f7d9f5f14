#!/usr/bin/env python3
"""A small numpy evaluator of ONNX graphs: the reference the e2e tests
compare compiled models against. It covers the ops of the models the e2e
tests build (transformer block, MLP, CNN), written from the ONNX operator
definitions, independent of qopt's lowering.

    numpy_reference.py MODEL.onnx --input NAME=FILE.npy ... --output-dir DIR
"""

import argparse
import math
import os

import numpy as np
import onnx
from onnx import numpy_helper

_erf = np.vectorize(math.erf, otypes=[np.float64])


def attrs_of(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def conv2d(x, w, b, a):
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    group = a.get("group", 1)
    sh, sw = a.get("strides", [1, 1])
    dh, dw = a.get("dilations", [1, 1])
    pt, pl, pb, pr = a.get("pads", [0, 0, 0, 0])
    x = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    oh = (x.shape[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (x.shape[3] - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((n, m, oh, ow), dtype=np.float64)
    mg = m // group
    for g in range(group):
        xs = x[:, g * cg:(g + 1) * cg]
        ws = w[g * mg:(g + 1) * mg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                           j * dw:j * dw + sw * (ow - 1) + 1:sw]
                y[:, g * mg:(g + 1) * mg] += np.einsum(
                    "nchw,mc->nmhw", patch, ws[:, :, i, j])
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def pool2d(x, a, kind):
    kh, kw = a["kernel_shape"]
    sh, sw = a.get("strides", [1, 1])
    pt, pl, pb, pr = a.get("pads", [0, 0, 0, 0])
    fill = -np.inf if kind == "max" else 0.0
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)), constant_values=fill)
    oh = (xp.shape[2] - kh) // sh + 1
    ow = (xp.shape[3] - kw) // sw + 1
    def windows(t):
        return np.stack([t[:, :, i:i + sh * (oh - 1) + 1:sh,
                           j:j + sw * (ow - 1) + 1:sw]
                         for i in range(kh) for j in range(kw)])
    if kind == "max":
        return windows(xp).max(0)
    # count_include_pad=0 (the default) divides by the window's input elements.
    if a.get("count_include_pad", 0):
        count = kh * kw
    else:
        ones = np.pad(np.ones_like(x), ((0, 0), (0, 0), (pt, pb), (pl, pr)))
        count = windows(ones).sum(0)
    return windows(xp).sum(0) / count


def evaluate(model, feeds):
    env = {t.name: numpy_helper.to_array(t).astype(np.float64)
           if numpy_helper.to_array(t).dtype.kind == "f"
           else numpy_helper.to_array(t) for t in model.graph.initializer}
    env.update({k: v.astype(np.float64) if v.dtype.kind == "f" else v
                for k, v in feeds.items()})
    for node in model.graph.node:
        a = attrs_of(node)
        x = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op in ("Add", "Sub", "Mul", "Div", "Pow"):
            f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
                 "Div": np.divide, "Pow": np.power}[op]
            out = [f(x[0], x[1])]
        elif op == "MatMul":
            out = [np.matmul(x[0], x[1])]
        elif op == "Gemm":
            A = x[0].T if a.get("transA", 0) else x[0]
            B = x[1].T if a.get("transB", 0) else x[1]
            y = a.get("alpha", 1.0) * (A @ B)
            if len(x) > 2 and x[2] is not None:
                y = y + a.get("beta", 1.0) * x[2]
            out = [y]
        elif op == "Relu":
            out = [np.maximum(x[0], 0)]
        elif op == "Erf":
            out = [_erf(x[0])]
        elif op == "Tanh":
            out = [np.tanh(x[0])]
        elif op == "Sigmoid":
            out = [1 / (1 + np.exp(-x[0]))]
        elif op == "Softmax":
            axis = a.get("axis", -1)
            e = np.exp(x[0] - x[0].max(axis=axis, keepdims=True))
            out = [e / e.sum(axis=axis, keepdims=True)]
        elif op == "LayerNormalization":
            axis = a.get("axis", -1)
            axes = tuple(range(axis % x[0].ndim, x[0].ndim))
            mean = x[0].mean(axis=axes, keepdims=True)
            var = ((x[0] - mean) ** 2).mean(axis=axes, keepdims=True)
            y = (x[0] - mean) / np.sqrt(var + a.get("epsilon", 1e-5)) * x[1]
            if len(x) > 2 and x[2] is not None:
                y = y + x[2]
            out = [y]
        elif op == "Split":
            axis = a.get("axis", 0)
            sizes = np.cumsum(x[1])[:-1]
            out = np.split(x[0], sizes, axis=axis)
        elif op == "Reshape":
            shape = [x[0].shape[i] if s == 0 else s
                     for i, s in enumerate(x[1].tolist())]
            out = [x[0].reshape(shape)]
        elif op == "Transpose":
            out = [np.transpose(x[0], a.get("perm"))]
        elif op == "Flatten":
            axis = a.get("axis", 1)
            out = [x[0].reshape(int(np.prod(x[0].shape[:axis])), -1)]
        elif op == "Conv":
            out = [conv2d(x[0], x[1], x[2] if len(x) > 2 else None, a)]
        elif op == "MaxPool":
            out = [pool2d(x[0], a, "max")]
        elif op == "AveragePool":
            out = [pool2d(x[0], a, "avg")]
        elif op == "GlobalAveragePool":
            out = [x[0].mean(axis=(2, 3), keepdims=True)]
        elif op == "BatchNormalization":
            s = (-1,) + (1,) * (x[0].ndim - 2)
            out = [(x[0] - x[3].reshape(s)) / np.sqrt(x[4].reshape(s) +
                   a.get("epsilon", 1e-5)) * x[1].reshape(s) + x[2].reshape(s)]
        else:
            raise NotImplementedError(f"reference has no {op}")
        for name, value in zip(node.output, out):
            env[name] = value
    return {o.name: env[o.name] for o in model.graph.output}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--input", action="append", default=[])
    parser.add_argument("--output-dir", required=True)
    args = parser.parse_args()
    model = onnx.load(args.model)
    feeds = {}
    for spec in args.input:
        name, path = spec.split("=", 1)
        feeds[name] = np.load(path)
    os.makedirs(args.output_dir, exist_ok=True)
    for name, value in evaluate(model, feeds).items():
        np.save(os.path.join(args.output_dir, name + ".npy"),
                value.astype(np.float32))


if __name__ == "__main__":
    main()
