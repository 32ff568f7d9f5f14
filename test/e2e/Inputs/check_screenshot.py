#!/usr/bin/env python3
"""Checks a PNG screenshot of report.html: decodes it (plain zlib, no image
library) and counts the pixels of the chart's bar colors. PASS when the
worst layer's red bar and the other bars (blue or orange) are there.

    check_screenshot.py shot.png
"""

import struct
import sys
import zlib

BAR_COLORS = {"red": (0xd6, 0x27, 0x28), "orange": (0xff, 0x7f, 0x0e),
              "blue": (0x1f, 0x77, 0xb4)}


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"FAIL: {path} is not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise SystemExit(f"FAIL: unsupported PNG (depth {depth}, color {color})")
    bpp = 3 if color == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main(path):
    width, height, bpp, rows = decode(path)
    counts = {name: 0 for name in BAR_COLORS}
    for row in rows:
        for x in range(width):
            pixel = tuple(row[x * bpp:x * bpp + 3])
            for name, color in BAR_COLORS.items():
                if all(abs(p - q) <= 2 for p, q in zip(pixel, color)):
                    counts[name] += 1
    ok = counts["red"] >= 200 and counts["blue"] + counts["orange"] >= 400
    print(f"screenshot {width}x{height}: bar pixels red {counts['red']}, "
          f"orange {counts['orange']}, blue {counts['blue']}: "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
