#!/usr/bin/env python3
"""Compares the .npy files of two folders: prints one line per tensor with
the max abs / rel error and PASS or FAIL at rtol/atol; exit 1 on FAIL.

    compare.py GOT_DIR WANT_DIR [--rtol 1e-4] [--atol 1e-5]
"""

import argparse
import os
import sys

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("got")
    parser.add_argument("want")
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-5)
    args = parser.parse_args()
    status = 0
    names = sorted(f for f in os.listdir(args.want) if f.endswith(".npy"))
    if not names:
        print("FAIL: no reference outputs")
        return 1
    for name in names:
        want = np.load(os.path.join(args.want, name))
        path = os.path.join(args.got, name)
        if not os.path.exists(path):
            print(f"{name}: FAIL missing")
            status = 1
            continue
        got = np.load(path)
        if got.shape != want.shape or got.dtype != want.dtype:
            print(f"{name}: FAIL {got.dtype}{got.shape} vs {want.dtype}{want.shape}")
            status = 1
            continue
        diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
        rel = diff / np.maximum(np.abs(want.astype(np.float64)), 1e-30)
        ok = np.all(diff <= args.atol + args.rtol * np.abs(want))
        print(f"{name}: {'PASS' if ok else 'FAIL'} shape={list(got.shape)} "
              f"max_abs={diff.max():.3g} max_rel={rel.max():.3g} "
              f"(rtol {args.rtol}, atol {args.atol})")
        status |= not ok
    return status


if __name__ == "__main__":
    sys.exit(main())
