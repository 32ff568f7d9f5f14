#!/usr/bin/env python3
"""Calibration folders for calibration.test (input x of mlp.onnxtxt, [batch, 4]):
  good/       s0.npz ... s5.npz, sample i = np.full((2, 4), i - 2): min -2, max 3
  tds/        test_data_set_0, test_data_set_1 (input_0.pb, named x): values 0..7, -8..-1
  badname/    a sample keyed "y"
  badshape/   a sample of shape [2, 5]
  baddtype/   a float64 sample
  empty/      nothing
"""

import os
import sys

import numpy as np
from onnx import numpy_helper


def main(out):
    for d in ("good", "tds/test_data_set_0", "tds/test_data_set_1", "badname",
              "badshape", "baddtype", "empty"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    for i in range(6):
        np.savez(os.path.join(out, "good", f"s{i}.npz"),
                 x=np.full((2, 4), i - 2, dtype=np.float32))
    for i, values in enumerate((np.arange(8), np.arange(-8, 0))):
        t = numpy_helper.from_array(values.reshape(2, 4).astype(np.float32), "x")
        with open(os.path.join(out, "tds", f"test_data_set_{i}", "input_0.pb"), "wb") as f:
            f.write(t.SerializeToString())
    np.savez(os.path.join(out, "badname", "s0.npz"), y=np.zeros((2, 4), np.float32))
    np.savez(os.path.join(out, "badshape", "s0.npz"), x=np.zeros((2, 5), np.float32))
    np.savez(os.path.join(out, "baddtype", "s0.npz"), x=np.zeros((2, 4), np.float64))


if __name__ == "__main__":
    main(sys.argv[1])
