#!/usr/bin/env python3
"""The table and figure of bench/stochastic_paths.sh (docs/algorithms.md §5.7).

Reads OUT/full and OUT/batch-B (path runs made with --checkpoints) and writes RESULTS.md, one
row per pair and run: batch, steps, wall and CPU seconds of the run, H, H relative to the full
batch's H after its STEPS steps, and where the run first reported an H at least that low (its
step and time, and that time as a fraction of the full batch's). RESULTS.png/.svg (gnuplot, with
RESULTS.dat and RESULTS.gp beside it) draw H_reported against wall time.
"""
import argparse
import csv
import os
import subprocess


def read_csv(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def settings(path):
    out = {}
    for line in open(path):
        key, _, value = line.strip().partition(" ")
        out[key] = value
    return out


def text(path, default=""):
    return open(path).read().strip() if os.path.exists(path) else default


def runs_of(out, batches):
    """(name, batch) of the runs that exist: the full batch first."""
    names = [("full", 0)] + [("batch-" + b, int(b)) for b in batches.split()]
    return [(n, b) for n, b in names if os.path.exists(os.path.join(out, n, "checkpoints.csv"))]


def checkpoints_by_pair(out, name):
    by_pair = {}
    for row in read_csv(os.path.join(out, name, "checkpoints.csv")):
        by_pair.setdefault((row["i"], row["j"]), []).append(row)
    return by_pair


def first_reaching(rows, H_target):
    for c in rows:
        if float(c["H_reported"]) <= H_target * (1 + 1e-12):
            return c
    return None


def table(out, runs, steps_full, images):
    full = checkpoints_by_pair(out, "full")
    lines = ["| pair | method | batch | steps | eval every | loss+gradient images | wall s | cpu s | "
             "H_linear | H | H / full-batch H | reaches full-batch H at: step, wall s (cpu s) | "
             "of full-batch wall |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    curves = []
    for pair in sorted(full):
        H_full = float(full[pair][-1]["H_reported"])
        wall_full = float(full[pair][-1]["seconds"])
        for name, batch in runs:
            rows = checkpoints_by_pair(out, name).get(pair)
            if not rows:
                continue
            s = settings(os.path.join(out, name, "settings.txt"))
            steps, points = int(s["steps"]), int(s["points"])
            last = rows[-1]
            H, wall, cpu = float(last["H_reported"]), float(last["seconds"]), float(last["cpu_seconds"])
            images_per_step = batch if batch else images
            reach = first_reaching(rows, H_full)
            reached = ("%s, %.0f (%.0f)" % (reach["step"], float(reach["seconds"]),
                                             float(reach["cpu_seconds"])) if reach else
                       "not within the run")
            fraction = "%.2f" % (float(reach["seconds"]) / wall_full) if reach else "-"
            lines.append("| %s-%s | fourier | %s | %d | %s | %.3g | %.0f | %.0f | %.4g | %.4g | "
                         "%.3f | %s | %s |" % (
                             pair[0], pair[1], batch if batch else "full (%d)" % images, steps,
                             s.get("eval-every", "1") if batch else "1",
                             float(steps) * points * images_per_step, wall, cpu,
                             float(rows[0]["H"]), H, H / H_full, reached, fraction))
            curves.append((pair, name, batch, rows))
    return lines, curves


def figure(results, curves, images):
    colours = {0: "#000000", 500: "#c0392b", 2000: "#27ae60", 8000: "#2471a3"}
    other = ["#8e44ad", "#d35400", "#16a085"]
    pairs = sorted({c[0] for c in curves})
    plot = []
    with open(results + ".dat", "w") as dat:
        for block, (pair, name, batch, rows) in enumerate(curves):
            dat.write("# pair %s-%s %s\n" % (pair[0], pair[1], name))
            for c in rows:
                dat.write("%s %s %s\n" % (max(float(c["seconds"]), 0.1), c["H_reported"], c["step"]))
            dat.write("\n\n")
            colour = colours.get(batch, other[block % len(other)])
            label = ("full batch" if batch == 0 else "B = %d" % batch) + ", pair %s-%s" % pair
            plot.append("'%s.dat' index %d using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt %d "
                        "lc rgb '%s' title '%s'" % (os.path.basename(results), block,
                                                   pairs.index(pair) + 1, colour, label))
    body = ("set logscale x\nset key outside right\nset grid\n"
            "set xlabel 'wall time (s)'\nset ylabel 'reported path height H (full landscape)'\n"
            "set title 'LSTM, published weights, %d training images: H against wall time'\n"
            "plot %s\n" % (images, ", \\\n  ".join(plot)))
    base = os.path.basename(results)
    gp = ("set terminal pngcairo size 1000,520\nset output '%s.png'\n%s"
          "set terminal svg size 1000,520\nset output '%s.svg'\nreplot\n" % (base, body, base))
    with open(results + ".gp", "w") as f:
        f.write(gp)
    return subprocess.call(["gnuplot", base + ".gp"], cwd=os.path.dirname(results) or ".") == 0


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--out", required=True)
    a.add_argument("--results", required=True)
    a.add_argument("--images", type=int, required=True)
    a.add_argument("--steps", type=int, required=True)
    a.add_argument("--batches", required=True)
    a.add_argument("--binary", default="")
    o = a.parse_args()
    runs = runs_of(o.out, o.batches)
    lines, curves = table(o.out, runs, o.steps, o.images)
    drawn = figure(o.results, curves, o.images)
    load = ", ".join("%s %s -> %s" % (n, text(os.path.join(o.out, n + ".load-start"), "?"),
                                      text(os.path.join(o.out, n + ".load-end"), "?"))
                     for n, _ in runs)
    version = subprocess.run([o.binary, "version"], capture_output=True, text=True).stdout.strip() \
        if o.binary else ""
    with open(o.results + ".md", "w") as f:
        f.write("# Stochastic path steps against full batch (bench/stochastic_paths.sh)\n\n")
        f.write("Published LSTM weights, first %d training images, %d-step full batch as the "
                "reference. `wall s`, `cpu s`: the run's own time (checkpoints.csv, data loading "
                "left out); `reaches`: the first judged iterate whose reported H is at most the "
                "full batch's H after %d steps.\n\n" % (o.images, o.steps, o.steps))
        f.write("\n".join(lines) + "\n\n")
        f.write("Load average (1 min) at the start and end of each run: %s.\n\n" % load)
        if version:
            f.write("Binary: `%s`.\n\n" % version.replace("\n", "; "))
        f.write("Figure: `%s.png`%s.\n" % (os.path.basename(o.results),
                                           "" if drawn else " (not drawn: gnuplot failed)"))
    print(open(o.results + ".md").read())


if __name__ == "__main__":
    main()
