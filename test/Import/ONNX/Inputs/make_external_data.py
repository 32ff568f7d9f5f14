"""Writes small ONNX models whose weights live in external data files, one
model per folder under OUT, for external-data.test:

  ok/           fc.weight in weights.bin next to the model
  offset/       fc.weight at an offset into a shared blob (offset / length)
  constant/     a Constant node whose value is external data
  absolute/     location is an absolute path
  dotdot/       location climbs out of the model's folder with '..'
  link/         location is a link inside the folder to a file outside it
  missing/      location names a file that does not exist
  short/        the data file is shorter than the tensor's `length`
  constant_abs/ a Constant node's value with an absolute location

Usage: make_external_data.py OUT
"""

import os
import shutil
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

WEIGHT = np.arange(32, dtype=np.float32).reshape(4, 8)


def external(name, location, offset=None, length=None):
    tensor = numpy_helper.from_array(WEIGHT, name)
    tensor.ClearField("raw_data")
    tensor.data_location = TensorProto.EXTERNAL
    entries = [("location", location)]
    if offset is not None:
        entries.append(("offset", str(offset)))
    if length is not None:
        entries.append(("length", str(length)))
    for key, value in entries:
        entry = tensor.external_data.add()
        entry.key = key
        entry.value = value
    return tensor


def write_model(folder, weight=None, constant=None):
    os.makedirs(folder, exist_ok=True)
    nodes = []
    initializers = []
    if constant is not None:
        nodes.append(helper.make_node("Constant", [], ["fc.weight"],
                                      name="const_w", value=constant))
    else:
        initializers.append(weight)
    nodes.append(helper.make_node("MatMul", ["x", "fc.weight"], ["y"],
                                  name="fc"))
    graph = helper.make_graph(
        nodes, "external",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8])],
        initializers)
    model = helper.make_model(graph, producer_name="make_external_data",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    save(model, os.path.join(folder, "model.onnx"))


def write_bytes(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    out = os.path.abspath(sys.argv[1])
    shutil.rmtree(out, ignore_errors=True)
    data = WEIGHT.tobytes()

    write_bytes(os.path.join(out, "ok", "weights.bin"), data)
    write_model(os.path.join(out, "ok"), external("fc.weight", "weights.bin"))

    write_bytes(os.path.join(out, "offset", "blob.bin"), bytes(16) + data)
    write_model(os.path.join(out, "offset"),
                external("fc.weight", "blob.bin", offset=16, length=len(data)))

    write_bytes(os.path.join(out, "constant", "c.bin"), data)
    write_model(os.path.join(out, "constant"),
                constant=external("value", "c.bin"))

    # A real file outside each refusing model's folder.
    outside = os.path.join(out, "outside.bin")
    write_bytes(outside, data)
    write_model(os.path.join(out, "absolute"), external("fc.weight", outside))
    write_model(os.path.join(out, "dotdot"),
                external("fc.weight", "../outside.bin"))
    os.makedirs(os.path.join(out, "link"), exist_ok=True)
    os.symlink(outside, os.path.join(out, "link", "weights.bin"))
    write_model(os.path.join(out, "link"), external("fc.weight", "weights.bin"))
    write_model(os.path.join(out, "missing"),
                external("fc.weight", "nothere.bin"))
    write_bytes(os.path.join(out, "short", "weights.bin"), data[:64])
    write_model(os.path.join(out, "short"),
                external("fc.weight", "weights.bin", length=len(data)))
    write_model(os.path.join(out, "constant_abs"),
                constant=external("value", outside))


if __name__ == "__main__":
    main()
