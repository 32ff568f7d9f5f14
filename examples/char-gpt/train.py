#!/usr/bin/env python3
"""Trains char-gpt.onnx: a small GPT-style character model on text every
Debian system ships (/usr/share/common-licenses, from base-files), for the
language-model accuracy test (test/e2e/lm-perplexity.test).

Two pre-norm decoder blocks (hidden 96, 4 heads, MLP 384, learned positions,
causal attention over exactly 64 characters), about 0.25M parameters. Training is
short (1500 Adam steps, batch 32) and deterministic: fixed seeds,
deterministic algorithms, 2 threads. The held-out text (the last 20% of
GPL-3) is never trained on. Needs python3-torch (Debian); the test uses the
committed model and does not.

    /usr/bin/python3 examples/char-gpt/train.py [-o char-gpt.onnx] [--steps N]
"""

import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chardata import SEQ, corpus, encode, vocabulary

HIDDEN, HEADS, MLP, BLOCKS = 96, 4, 384, 2


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(HIDDEN)
        self.qkv = nn.Linear(HIDDEN, 3 * HIDDEN)
        self.proj = nn.Linear(HIDDEN, HIDDEN)
        self.ln2 = nn.LayerNorm(HIDDEN)
        self.fc1 = nn.Linear(HIDDEN, MLP)
        self.fc2 = nn.Linear(MLP, HIDDEN)
        mask = torch.full((SEQ, SEQ), -1e4).triu(1)
        self.register_buffer("mask", mask)

    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(HIDDEN, dim=-1)
        heads = lambda z: z.reshape(b, t, HEADS, HIDDEN // HEADS).transpose(1, 2)
        q, k, v = heads(q), heads(k), heads(v)
        # Inputs are always SEQ long: the whole mask, no slicing (which
        # would export as a shape-dependent Slice).
        scores = q @ k.transpose(-1, -2) / (HIDDEN // HEADS) ** 0.5 + self.mask
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, HIDDEN)
        x = x + self.proj(ctx)
        return x + self.fc2(nn.functional.gelu(self.fc1(self.ln2(x))))


class CharGPT(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, HIDDEN)
        self.pos = nn.Parameter(torch.zeros(SEQ, HIDDEN))
        self.blocks = nn.ModuleList(Block() for _ in range(BLOCKS))
        self.ln = nn.LayerNorm(HIDDEN)
        self.head = nn.Linear(HIDDEN, vocab_size)

    def forward(self, tokens):
        x = self.embed(tokens) + self.pos
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln(x))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("-o", "--output", default=os.path.join(here, "char-gpt.onnx"))
    parser.add_argument("--steps", type=int, default=1500)
    args = parser.parse_args()

    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)
    rng = np.random.default_rng(0)
    vocab = vocabulary()
    train_text, held_text = corpus()
    data = torch.from_numpy(encode(train_text))
    held = torch.from_numpy(encode(held_text))
    model = CharGPT(len(vocab))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=args.steps)
    loss_fn = nn.CrossEntropyLoss()
    for step in range(args.steps):
        starts = rng.integers(0, len(data) - SEQ - 1, size=32)
        x = torch.stack([data[s:s + SEQ] for s in starts])
        y = torch.stack([data[s + 1:s + SEQ + 1] for s in starts])
        loss = loss_fn(model(x).reshape(-1, len(vocab)), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 250 == 0 or step == args.steps - 1:
            with torch.no_grad():
                n = (len(held) - 1) // SEQ
                hx = held[: n * SEQ].reshape(n, SEQ)
                hy = held[1 : n * SEQ + 1].reshape(n, SEQ)
                hl = loss_fn(model(hx).reshape(-1, len(vocab)), hy.reshape(-1))
            print(f"step {step}: train loss {loss.item():.3f}, held-out "
                  f"perplexity {float(torch.exp(hl)):.2f}")
    model.eval()
    torch.onnx.export(model, torch.zeros(1, SEQ, dtype=torch.int64), args.output,
                      input_names=["tokens"], output_names=["logits"],
                      dynamic_axes={"tokens": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=17)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
