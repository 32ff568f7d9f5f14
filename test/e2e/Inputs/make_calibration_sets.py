#!/usr/bin/env python3
"""Calibration folders and held-out inputs for int8-accuracy.test (fixed
seed, standard normal float32): for each of cnn [1,3,20,20], mlp [8,96],
tiny-gpt [1,128,32]: OUT/cal-NAME/s00.npz ... s15.npz (key x) and
OUT/test-NAME.npy.
"""

import os
import sys

import numpy as np


def main(out):
    rng = np.random.default_rng(21)
    for name, shape in (("cnn", (1, 3, 20, 20)), ("mlp", (8, 96)),
                        ("tiny-gpt", (1, 128, 32))):
        folder = os.path.join(out, f"cal-{name}")
        os.makedirs(folder, exist_ok=True)
        for i in range(16):
            np.savez(os.path.join(folder, f"s{i:02d}.npz"),
                     x=rng.standard_normal(shape).astype(np.float32))
        np.save(os.path.join(out, f"test-{name}.npy"),
                rng.standard_normal(shape).astype(np.float32))


if __name__ == "__main__":
    main(sys.argv[1])
