#!/usr/bin/env python3
"""Checks that docs/writing-a-pass.md and examples/pass-plugin/ agree.

    check-tutorial.py docs/writing-a-pass.md examples/pass-plugin

Every fenced block whose info string names a file ("```cpp lib/Plugin.cpp")
must equal that file of the example, byte for byte, and every file of the
example (but its README) must appear in such a block: someone who types the
tutorial's blocks into an empty folder gets exactly the example, which CI
builds and tests (scripts/test.sh). Prints one line per mismatch; exit 1.
"""

import os
import re
import sys


def blocks(markdown):
    """(path, text) of each fenced block that names a file."""
    found = []
    fence = re.compile(r"^```(\S+) (\S+)\n(.*?)^```\n", re.S | re.M)
    for match in fence.finditer(markdown):
        found.append((match.group(2), match.group(3)))
    return found


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    doc, example = sys.argv[1], sys.argv[2]
    errors = []
    shown = {}
    for path, text in blocks(open(doc).read()):
        if path in shown:
            errors.append(f"{doc}: {path} is shown twice")
        shown[path] = text
        full = os.path.join(example, path)
        if not os.path.isfile(full):
            errors.append(f"{doc}: shows {path}, which {example} does not have")
        elif open(full).read() != text:
            errors.append(f"{doc}: the block for {path} differs from {full} "
                          f"(edit both, or copy the file into the page)")
    for root, _, files in os.walk(example):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), example)
            if rel != "README.md" and rel not in shown:
                errors.append(f"{doc}: does not show {rel} from {example}")
    for error in errors:
        print(error)
    if errors:
        sys.exit(1)
    print(f"check-tutorial: {len(shown)} files match {example}")


if __name__ == "__main__":
    main()
