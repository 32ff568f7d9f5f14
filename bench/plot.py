#!/usr/bin/env python3
"""Draws bench/run.sh's results as an SVG bar chart (no plotting library) and
prints the issue-7 summary table (markdown) on stdout.

    plot.py RESULTS.tsv OUT.svg

For each model family (mlp, cnn, tiny-gpt, gpt-256, gpt-1024) and thread
count, one group of bars: the speed of qopt fp32, qopt int8, ORT int8 (QDQ)
and ORT int8 (dynamic) relative to ORT fp32 at the same thread count (ORT
fp32 = 1, the dashed line; longer is faster). Rows come from run.sh's
results.tsv: "F" (fp32), "F-int8" (qopt int8 vs ORT QDQ) and "F-dyn-int8"
(qopt int8 vs ORT's quantize_dynamic model). A missing measurement leaves
its bar out. The summary gives the same ratios per family and thread count:
qopt fp32 vs ORT fp32, qopt int8 vs the faster ORT int8, qopt int8 vs ORT fp32.
"""

import sys
from collections import OrderedDict

SERIES = [("qopt fp32", "#9ecae1"), ("qopt int8", "#08519c"),
          ("ORT int8 (QDQ)", "#fdae6b"), ("ORT int8 (dynamic)", "#e6550d")]


def load(path):
    best = {}
    for line in open(path):
        fields = line.rstrip("\n").split("\t")
        name, threads = fields[0], int(fields[1])
        qopt = min(float(v) for v in fields[3].split())
        ort = min(float(v) for v in fields[4].split())
        best[(name, threads)] = (qopt, ort)
    return best


def groups(best):
    """(family, threads, ORT fp32 ms, {series: ms}) per family and thread
    count; "qopt int8" is the faster of qopt's two int8 measurements."""
    out = OrderedDict()
    for (name, threads) in sorted(best, key=lambda k: (k[0].split("-int8")[0], k[1])):
        family = name
        for suffix in ("-dyn-int8", "-int8"):
            if name.endswith(suffix):
                family = name[: -len(suffix)]
        if "@" in family or (family, threads) not in best:
            continue
        ref = best[(family, threads)][1]
        series = {"qopt fp32": best[(family, threads)][0]}
        if (family + "-int8", threads) in best:
            q, o = best[(family + "-int8", threads)]
            series["qopt int8"] = q
            series["ORT int8 (QDQ)"] = o
        if (family + "-dyn-int8", threads) in best:
            q, o = best[(family + "-dyn-int8", threads)]
            series["qopt int8"] = min(q, series.get("qopt int8", q))
            series["ORT int8 (dynamic)"] = o
        out[(family, threads)] = (family, threads, ref, series)
    return list(out.values())


def summary(rows):
    """The markdown summary table of `rows` (speed ratios, ORT / qopt)."""
    lines = ["| model | threads | qopt fp32 vs ORT fp32 | qopt int8 vs best ORT int8 | "
             "qopt int8 vs ORT fp32 |", "|---|---|---|---|---|"]
    for family, threads, ref, series in rows:
        cells = [family, str(threads), f"{ref / series['qopt fp32']:.2f}x"]
        ort8 = [series[k] for k in ("ORT int8 (QDQ)", "ORT int8 (dynamic)") if k in series]
        if "qopt int8" in series and ort8:
            q8 = series["qopt int8"]
            cells += [f"{min(ort8) / q8:.2f}x", f"{ref / q8:.2f}x"]
        else:
            cells += ["", ""]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("(speed ratios: ORT time / qopt time, fastest int8 build of each engine)")
    return "\n".join(lines)


def svg(rows):
    bar, gap, left, width = 14, 12, 150, 520
    top = 40
    vmax = max([ref / ms for _, _, ref, s in rows for ms in s.values()] + [1.0])
    vmax = int(vmax + 1)
    scale = width / vmax
    height = top + len(rows) * (len(SERIES) * bar + gap) + 70
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 40}" '
           f'height="{height}" font-family="sans-serif" font-size="11">',
           f'<text x="{left}" y="20" font-size="13">Speed relative to ONNX Runtime fp32 '
           f'(same threads; longer is faster)</text>']
    y = top
    for family, threads, ref, series in rows:
        label = f"{family}, {threads} thr"
        out.append(f'<text x="{left - 8}" y="{y + 2 * bar + 4}" text-anchor="end">{label}</text>')
        for name, color in SERIES:
            if name in series:
                v = ref / series[name]
                out.append(f'<rect x="{left}" y="{y}" width="{v * scale:.1f}" '
                           f'height="{bar - 2}" fill="{color}"/>')
                out.append(f'<text x="{left + v * scale + 4:.1f}" y="{y + bar - 4}">'
                           f'{v:.2f}x</text>')
            y += bar
        y += gap
    axis = y
    for tick in range(vmax + 1):
        x = left + tick * scale
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis}" '
                   f'stroke="#ccc" stroke-width="0.5"/>')
        out.append(f'<text x="{x:.1f}" y="{axis + 14}" text-anchor="middle">{tick}x</text>')
    x1 = left + scale
    out.append(f'<line x1="{x1:.1f}" y1="{top - 4}" x2="{x1:.1f}" y2="{axis}" '
               f'stroke="#333" stroke-dasharray="4,3"/>')
    lx = left
    for name, color in SERIES:
        out.append(f'<rect x="{lx}" y="{axis + 30}" width="12" height="10" fill="{color}"/>')
        out.append(f'<text x="{lx + 16}" y="{axis + 39}">{name}</text>')
        lx += 16 + 7 * len(name) + 14
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows = groups(load(sys.argv[1]))
    if not rows:
        sys.exit(f"plot.py: {sys.argv[1]} has no fp32 rows to compare with")
    with open(sys.argv[2], "w") as f:
        f.write(svg(rows))
    print(summary(rows))
    print(f"plot.py: {len(rows)} groups -> {sys.argv[2]}", file=sys.stderr)


if __name__ == "__main__":
    main()
