"""The text and the character encoding of char-gpt (no torch needed: the
tests use it to build calibration and evaluation data).

The text is what every Debian system ships in /usr/share/common-licenses
(base-files): the training text is several licenses and the first 80% of
GPL-3; the held-out text is the last 20% of GPL-3.
"""

import os

import numpy as np

LICENSES = "/usr/share/common-licenses"
TRAIN_FILES = ["Apache-2.0", "Artistic", "BSD", "CC0-1.0", "GFDL-1.3",
               "GPL-2", "LGPL-2.1", "LGPL-3", "MPL-2.0"]
HELD_OUT = "GPL-3"
SEQ = 64


def vocabulary():
    """Newline and printable ASCII; anything else maps to '?'."""
    return ["\n"] + [chr(c) for c in range(32, 127)]


def encode(text):
    index = {c: i for i, c in enumerate(vocabulary())}
    unknown = index["?"]
    return np.array([index.get(c, unknown) for c in text], dtype=np.int64)


def _read(name):
    with open(os.path.join(LICENSES, name), encoding="utf-8", errors="replace") as f:
        return f.read()


def corpus():
    """(training text, held-out text)."""
    held = _read(HELD_OUT)
    cut = int(len(held) * 0.8)
    train = "".join(_read(n) for n in TRAIN_FILES
                    if os.path.exists(os.path.join(LICENSES, n)))
    return train + held[:cut], held[cut:]


def windows(tokens, count, stride=None):
    """`count` windows of SEQ + 1 tokens (inputs and next-token targets),
    evenly spaced over `tokens`: ([count, SEQ], [count, SEQ])."""
    stride = stride or max(1, (len(tokens) - SEQ - 1) // count)
    starts = [i * stride for i in range(count)]
    x = np.stack([tokens[s:s + SEQ] for s in starts])
    y = np.stack([tokens[s + 1:s + SEQ + 1] for s in starts])
    return x, y
