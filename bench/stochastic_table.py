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


def records(path):
    """The (PAIRS, value) lines bench/stochastic_paths.sh appends to a run's .commit and .load-*
    files, one per invocation; an older file holds the value alone (PAIRS "")."""
    out = []
    for line in text(path).splitlines():
        pairs, _, value = line.strip().rpartition(" ")
        out.append((pairs, value))
    return out or [("", "?")]


def with_pairs(value, pairs):
    return "%s (PAIRS=%s)" % (value, pairs) if pairs else value


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
             "of full-batch wall (cpu) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    curves = []
    for pair in sorted(full):
        H_full = float(full[pair][-1]["H_reported"])
        wall_full = float(full[pair][-1]["seconds"])
        cpu_full = float(full[pair][-1]["cpu_seconds"])
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
            fraction = ("%.2f (%.2f)" % (float(reach["seconds"]) / wall_full,
                                         float(reach["cpu_seconds"]) / cpu_full)
                        if reach else "-")
            lines.append("| %s-%s | fourier | %s | %d | %s | %.3g | %.0f | %.0f | %.4g | %.4g | "
                         "%.3f | %s | %s |" % (
                             pair[0], pair[1], batch if batch else "full (%d)" % images, steps,
                             s.get("eval-every", "1") if batch else "1",
                             float(steps) * points * images_per_step, wall, cpu,
                             float(rows[0]["H"]), H, H / H_full, reached, fraction))
            curves.append((pair, name, batch, rows))
    return lines, curves


def unit_costs(out, runs):
    """CPU seconds of one judgement on the full landscape (the full batch's last, loss-only one)
    and of one step of each run, mean over pairs. A full-batch checkpoint k comes after k + 1
    loss+gradient passes (its judgement is its step's gradient); a stochastic run's last one
    after all its steps and all its judgements."""
    full = checkpoints_by_pair(out, "full")
    judge = [float(r[-1]["cpu_seconds"]) - float(r[-2]["cpu_seconds"]) for r in full.values()]
    t_judge = sum(judge) / len(judge)
    t_step = {}
    for name, batch in runs:
        per = []
        for rows in checkpoints_by_pair(out, name).values():
            steps = int(rows[-1]["step"])
            if batch:
                per.append((float(rows[-1]["cpu_seconds"]) - len(rows) * t_judge) / steps)
            else:
                per.append(float(rows[-2]["cpu_seconds"]) / steps)  # checkpoint steps - 1
        t_step[batch] = sum(per) / len(per)
    return t_judge, t_step


def estimate(out, runs, images, steps_full, target_images):
    """The cost at target_images (the full training set) from the measured unit costs: a step
    on B images costs what it cost here, a full step and a judgement scale with the images."""
    t_judge, t_step = unit_costs(out, runs)
    scale = target_images / images
    full = checkpoints_by_pair(out, "full")
    lines = ["Measured: a full-batch step %.1f CPU s, a judgement (M loss-only evaluations) %.1f "
             "CPU s at %d images; per step on B images: %s." % (
                 t_step[0], t_judge, images,
                 ", ".join("B = %d %.2f CPU s" % (b, t) for b, t in sorted(t_step.items()) if b)),
             "",
             "| batch | steps to the full batch's H (mean of pairs) | estimated CPU h at %d images, "
             "judged as here | judged only at b^0 and that step (the least) | of the full batch's |" %
             target_images, "|---|---|---|---|---|"]
    full_cost = steps_full * t_step[0] * scale + t_judge * scale
    lines.append("| full | %d | %.2f | %.2f | 1 |" % (steps_full, full_cost / 3600, full_cost / 3600))
    for name, batch in runs:
        if not batch:
            continue
        reach = []
        for pair, rows in checkpoints_by_pair(out, name).items():
            H_full = float(full[pair][-1]["H_reported"])
            c = first_reaching(rows, H_full)
            if c:
                reach.append((int(c["step"]), sum(1 for r in rows if int(r["step"]) <= int(c["step"]))))
        if len(reach) < len(full):
            lines.append("| %d | not reached in every pair | - | - | - |" % batch)
            continue
        steps = sum(r[0] for r in reach) / len(reach)
        judged = sum(r[1] for r in reach) / len(reach)
        as_here = steps * t_step[batch] + judged * t_judge * scale
        minimal = steps * t_step[batch] + 2 * t_judge * scale
        lines.append("| %d | %.0f | %.2f | %.2f | %.3f - %.3f |" % (
            batch, steps, as_here / 3600, minimal / 3600, minimal / full_cost, as_here / full_cost))
    return lines


def figure(results, curves, images):
    colours = {0: "#000000", 500: "#c0392b", 2000: "#27ae60", 8000: "#2471a3"}
    other = ["#8e44ad", "#d35400", "#16a085"]
    pairs = sorted({c[0] for c in curves})
    plot = []
    with open(results + ".dat", "w") as dat:
        for block, (pair, name, batch, rows) in enumerate(curves):
            dat.write("# pair %s-%s %s\n" % (pair[0], pair[1], name))
            for c in rows:
                dat.write("%s %s %s %s\n" % (max(float(c["seconds"]), 0.1), c["H_reported"],
                                              c["step"], max(float(c["cpu_seconds"]), 0.1)))
            dat.write("\n\n")
            colour = colours.get(batch, other[block % len(other)])
            label = ("full batch" if batch == 0 else "B = %d" % batch) + ", pair %s-%s" % pair
            plot.append("'%s.dat' index %d using COL:2 with linespoints lw 2 pt 7 ps 0.5 dt %d "
                        "lc rgb '%s' title '%s'" % (os.path.basename(results), block,
                                                   pairs.index(pair) + 1, colour, label))
    # H against wall time (what a user waits) and against CPU time (what the machine spent:
    # comparable between runs made under other loads)
    panel = ("set xlabel '%s'\nset title '%s'\nplot " + ", \\\n  ".join(plot) + "\n")
    body = ("set multiplot layout 1,2 title 'LSTM, published weights, %d training images: "
            "H against time'\nset logscale xy\nset grid\nset key bottom left font ',9'\n"
            "set ylabel 'reported path height H (full landscape)'\n" % images +
            (panel % ("wall time (s)", "wall time")).replace("COL", "1") + "set key off\n" +
            (panel % ("CPU time, 2 threads (s)", "CPU time")).replace("COL", "4") +
            "unset multiplot\n")
    base = os.path.basename(results)
    gp = ("set terminal pngcairo size 1200,520\nset output '%s.png'\n%s"
          "set terminal svg size 1200,520\nset output '%s.svg'\n%s" % (base, body, base, body))
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
    a.add_argument("--target-images", type=int, default=60000)
    o = a.parse_args()
    runs = runs_of(o.out, o.batches)
    lines, curves = table(o.out, runs, o.steps, o.images)
    drawn = figure(o.results, curves, o.images)
    load = ", ".join(
        "%s %s" % (n, ", ".join(with_pairs("%s -> %s" % (start, end), pairs)
                                for (pairs, start), (_, end) in
                                zip(records(os.path.join(o.out, n + ".load-start")),
                                    records(os.path.join(o.out, n + ".load-end")))))
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
        commits = []
        for n, _ in runs:
            for pairs, commit in records(os.path.join(o.out, n + ".commit")):
                if with_pairs(commit, pairs) not in commits:
                    commits.append(with_pairs(commit, pairs))
        f.write("Commit of the runs: %s.%s\n\n" % (", ".join(commits), (
            " A run directory that a longer PAIRS resumed computed only the pairs it lacked."
            if any(pairs for n, _ in runs for pairs, _ in
                   records(os.path.join(o.out, n + ".commit"))) else "")))
        # An estimate only where the runs read fewer images than the target: at the full
        # training set the table above is the measurement itself.
        if o.images < o.target_images and any(batch for _, batch in runs):
            f.write("## Estimated at %d images\n\n" % o.target_images)
            f.write("\n".join(estimate(o.out, runs, o.images, o.steps, o.target_images)) + "\n\n")
            f.write("The estimate assumes a batch of B images needs as many steps at %d images as "
                    "here, and that CPU time scales with the images a pass reads. Wall time on 2 "
                    "quiet cores is about CPU / 1.9 (bench/README.md).\n\n" % o.target_images)
        if version:
            f.write("Binary: `%s`.\n\n" % version.replace("\n", "; "))
        f.write("Figure: `%s.png`%s.\n" % (os.path.basename(o.results),
                                           "" if drawn else " (not drawn: gnuplot failed)"))
    print(open(o.results + ".md").read())


if __name__ == "__main__":
    main()
