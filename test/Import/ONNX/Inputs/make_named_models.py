"""Writes binary ONNX models whose nodes have names, for named-nodes.test:

  unsupported.onnx    two named nodes without handlers
  unimplemented.onnx  a named node its handler cannot import
  checker.onnx        a named node the ONNX checker rejects

Usage: make_named_models.py OUT
"""

import os
import sys

from onnx import TensorProto, helper, save


def model(name, nodes, inputs, outputs, opset=17):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    result = helper.make_model(graph, producer_name="make_named_models",
                               opset_imports=[helper.make_opsetid("", opset)])
    result.ir_version = 8
    return result


def tensor(name, elem_type, shape):
    return helper.make_tensor_value_info(name, elem_type, shape)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    x = tensor("x", TensorProto.FLOAT, [2, 4])

    save(model("unsupported", [
        helper.make_node("Relu", ["x"], ["a"], name="/encoder/relu"),
        helper.make_node("NonZero", ["a"], ["nz"], name="/encoder/nonzero"),
        helper.make_node("EyeLike", ["a"], ["eye"], name="/head/eye"),
    ], [x], [tensor("nz", TensorProto.INT64, [2, None]),
             tensor("eye", TensorProto.FLOAT, [2, 4])]),
        os.path.join(out, "unsupported.onnx"))

    save(model("unimplemented", [
        helper.make_node("ReduceSum", ["x", "axes"], ["r"],
                         name="/pool/reduce_sum"),
    ], [x, tensor("axes", TensorProto.INT64, [1])],
        [tensor("r", TensorProto.FLOAT, [2, 1])]),
        os.path.join(out, "unimplemented.onnx"))

    save(model("checker", [
        helper.make_node("Relu", ["x"], ["a"], name="/block/relu"),
        helper.make_node("Add", ["a"], ["y"], name="/block/add"),
    ], [x], [tensor("y", TensorProto.FLOAT, [2, 4])]),
        os.path.join(out, "checker.onnx"))


if __name__ == "__main__":
    main()
