"""usage: make_matmul_refs.py INPUTS OUT NAME...

For each INPUTS/NAME.onnxtxt (a MatMulInteger `a` x constant `b`), writes
OUT/NAME.onnx, OUT/NAME.x.npy (a copy of OUT/x.npy) and OUT/NAME.ref.npy,
numpy's exact int32 product, for run_and_compare.py."""
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import numpy_helper, parser

inputs, out = sys.argv[1:3]
x = np.load(os.path.join(out, "x.npy"))
for name in sys.argv[3:]:
    with open(os.path.join(inputs, name + ".onnxtxt")) as f:
        model = parser.parse_model(f.read())
    onnx.save(model, os.path.join(out, name + ".onnx"))
    b = numpy_helper.to_array(model.graph.initializer[0]).astype(np.int32)
    shutil.copy(os.path.join(out, "x.npy"), os.path.join(out, name + ".x.npy"))
    np.save(os.path.join(out, name + ".ref.npy"), x.astype(np.int32) @ b)
