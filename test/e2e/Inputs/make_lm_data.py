#!/usr/bin/env python3
"""Calibration and evaluation data for lm-perplexity.test, from the text of
examples/char-gpt/chardata.py: OUT/cal-lm/s0.npz ... s3.npz (key tokens,
[4, 64] windows of the training text), OUT/eval-tokens.npy ([32, 64]
windows of the held-out text) and OUT/eval-targets.npy (the next
characters).

    make_lm_data.py QOPT_SRC OUT
"""

import os
import sys

import numpy as np


def main(src, out):
    sys.path.insert(0, os.path.join(src, "examples", "char-gpt"))
    import chardata
    train, held = chardata.corpus()
    train_tokens, held_tokens = chardata.encode(train), chardata.encode(held)
    folder = os.path.join(out, "cal-lm")
    os.makedirs(folder, exist_ok=True)
    x, _ = chardata.windows(train_tokens, 16)
    for i in range(4):
        np.savez(os.path.join(folder, f"s{i}.npz"), tokens=x[4 * i:4 * i + 4])
    x, y = chardata.windows(held_tokens, 32)
    np.save(os.path.join(out, "eval-tokens.npy"), x)
    np.save(os.path.join(out, "eval-targets.npy"), y)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
