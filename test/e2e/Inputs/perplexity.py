#!/usr/bin/env python3
"""Perplexity of next-character predictions: exp(mean cross-entropy) of
LOGITS.npy ([N, T, V]) against TARGETS.npy ([N, T]). PASS when at most
--max-ppl and, with --baseline (the fp32 logits), at most --max-ratio
times the baseline's perplexity.

    perplexity.py LOGITS.npy TARGETS.npy --max-ppl 6 [--baseline FP32.npy --max-ratio 1.05]
"""

import argparse
import sys

import numpy as np


def perplexity(logits, targets):
    logits = logits.astype(np.float64)
    logits -= logits.max(axis=-1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    nll = -np.take_along_axis(logp, targets[..., None], axis=-1)
    return float(np.exp(nll.mean()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("logits")
    parser.add_argument("targets")
    parser.add_argument("--max-ppl", type=float, required=True)
    parser.add_argument("--baseline")
    parser.add_argument("--max-ratio", type=float)
    args = parser.parse_args()
    targets = np.load(args.targets)
    ppl = perplexity(np.load(args.logits), targets)
    ok = ppl <= args.max_ppl
    text = f"perplexity {ppl:.3f} (ceiling {args.max_ppl:g}"
    if args.baseline:
        base = perplexity(np.load(args.baseline), targets)
        ratio = ppl / base
        ok = ok and (args.max_ratio is None or ratio <= args.max_ratio)
        text += f", {ratio:.3f}x fp32's {base:.3f}"
        if args.max_ratio is not None:
            text += f", at most {args.max_ratio:g}x"
    print(f"{text}): {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
