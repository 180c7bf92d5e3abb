#!/usr/bin/env python3
"""The tolerance guide's table (docs/validating.md): for each traced column of the runs that
scripts/measure_trace_drift.sh made, the largest relative difference |f32 - f64| / |f64| over the
steps up to each horizon (a column whose f64 value is 0 counts its absolute difference)."""
import csv
import math
import sys

RUNS = [  # (run, trace file under OUT/f64 and OUT/f32, horizons)
    ("L-BFGS-GSS", "lbfgs/run-000/trace.csv", [10, 20, 30, 100, 1000]),
    ("SGD", "sgd/run-000/trace.csv", [1, 5, 20]),
    ("FourierPathFinder", "fourier/trace-0-1.csv", [20, 100]),
    ("Lanczos", "lanczos/trace-0.csv", [10, 30, 50]),
]


def read(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {int(r["step"]): r for r in rows}, list(rows[0].keys())[1:]


def relative(a, b):
    a, b = float(a), float(b)
    if math.isnan(a) and math.isnan(b) or a == b:
        return 0.0
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or math.isinf(b):
        return math.inf
    return abs(a - b) / abs(b) if b != 0 else abs(a - b)


def main(out):
    for name, file, horizons in RUNS:
        ref, columns = read(f"{out}/f64/{file}")
        got, _ = read(f"{out}/f32/{file}")
        print(f"\n{name} ({file})\n\n| column | " + " | ".join(f"steps <= {h}" for h in horizons) + " |")
        print("|---|" + "---|" * len(horizons))
        for c in columns:
            cells = []
            for h in horizons:
                worst = max((relative(got[s][c], ref[s][c]) for s in ref if s <= h and s in got), default=0.0)
                cells.append(f"{worst:.1e}")
            print(f"| {c} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "out/drift")
