#!/usr/bin/env python3
"""Signal-to-quantization-noise ratio of GOT against REF (.npy files):
10 log10(sum(ref^2) / sum((ref - got)^2)) in dB; PASS when >= --min-db,
<= --max-db (when given: a loss the test expects), and at least
--min-gain-db above the SQNR of --baseline (when given).

    sqnr.py REF.npy GOT.npy --min-db 30 [--max-db 15]
            [--baseline BASE.npy --min-gain-db 20]
"""

import argparse
import sys

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ref")
    parser.add_argument("got")
    parser.add_argument("--min-db", type=float, required=True)
    parser.add_argument("--max-db", type=float)
    parser.add_argument("--baseline")
    parser.add_argument("--min-gain-db", type=float, default=0.0)
    args = parser.parse_args()
    ref = np.load(args.ref).astype(np.float64)
    got = np.load(args.got).astype(np.float64)
    if ref.shape != got.shape:
        print(f"FAIL: shape {got.shape} vs {ref.shape}")
        return 1
    sqnr = compute_sqnr(ref, got)
    ok = sqnr >= args.min_db
    text = f"SQNR {sqnr:.1f} dB (floor {args.min_db:g} dB"
    if args.max_db is not None:
        ok = ok and sqnr <= args.max_db
        text += f", ceiling {args.max_db:g} dB"
    if args.baseline:
        base = compute_sqnr(ref, np.load(args.baseline).astype(np.float64))
        ok = ok and sqnr - base >= args.min_gain_db
        text += (f", {sqnr - base:.1f} dB above the baseline's {base:.1f} dB, "
                 f"at least {args.min_gain_db:g}")
    print(f"{text}): {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


def compute_sqnr(ref, got):
    noise = ((ref - got) ** 2).sum()
    return float("inf") if noise == 0 else 10 * np.log10((ref ** 2).sum() / noise)


if __name__ == "__main__":
    sys.exit(main())
