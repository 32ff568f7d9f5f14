#!/usr/bin/env python3
"""Signal-to-quantization-noise ratio of GOT against REF (.npy files):
10 log10(sum(ref^2) / sum((ref - got)^2)) in dB; PASS when >= --min-db.

    sqnr.py REF.npy GOT.npy --min-db 30
"""

import argparse
import sys

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ref")
    parser.add_argument("got")
    parser.add_argument("--min-db", type=float, required=True)
    args = parser.parse_args()
    ref = np.load(args.ref).astype(np.float64)
    got = np.load(args.got).astype(np.float64)
    if ref.shape != got.shape:
        print(f"FAIL: shape {got.shape} vs {ref.shape}")
        return 1
    noise = ((ref - got) ** 2).sum()
    sqnr = float("inf") if noise == 0 else 10 * np.log10((ref ** 2).sum() / noise)
    ok = sqnr >= args.min_db
    print(f"SQNR {sqnr:.1f} dB (floor {args.min_db:g} dB): {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
