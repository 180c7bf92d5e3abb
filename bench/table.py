#!/usr/bin/env python3
"""The tables of `make bench`, from the JSON lines scripts/bench.sh collects.

  /usr/bin/python3 bench/table.py RESULTS.jsonl > RESULTS.md

The first line describes the machine ("side": "machine"); each measurement line carries its
figure, pair (1..REPEAT) and role: A is ours, B is PyTorch or, in the ours-vs-ours figures,
our single evaluation that A's points replace. A pair's ratio is A / B, or A / (points x B)
for ours-vs-ours; a figure's ratio is the median of its pairs' ratios, shown with their range,
because on a shared machine one pair decides nothing (bench/README.md, "Why interleaved
pairs"). Per thread count one table; then the scaling over thread counts and the determinism
of the full-batch gradient.
"""
import json
import statistics
import sys

ARCHS = ["fcp", "ae", "lenet", "lstm"]


class Figure:
    """What a figure compares: its label, B's side, the issue's bound on the ratio per model."""

    def __init__(self, label, versus, targets=None):
        self.label, self.versus, self.targets = label, versus, targets or {}


FIGURES = {
    "fullbatch": Figure("full batch loss+gradient", "torch",
                        {"fcp": 0.5, "ae": 0.5, "lenet": 0.33, "lstm": 0.33}),
    "sgd-step": Figure("SGD step, 64 images", "torch", dict.fromkeys(ARCHS, 0.5)),
    "path-step": Figure("path step / 51 full batches", "ours", dict.fromkeys(ARCHS, 0.6)),
    "surface": Figure("surface 51x51 / 2601 forward passes", "ours", dict.fromkeys(ARCHS, 0.6)),
    "path-step-torch": Figure("path step, M = 51", "torch"),
    "kpca": Figure("kernel PCA, 96 sets", "torch"),
}


def fmt_s(s):
    return "%.3g s" % s if s >= 0.01 else "%.3g ms" % (s * 1e3)


def median(values):
    return statistics.median(values) if values else float("nan")


class Row:
    """One figure at one thread count for one model: its complete pairs."""

    def __init__(self, figure, arch, threads, lines):
        self.figure, self.arch, self.threads = figure, arch, threads
        self.spec = FIGURES[figure]
        by_pair = {}
        for d in lines:
            by_pair.setdefault(d["pair"], {})[d["role"]] = d
        self.pairs = [p for _, p in sorted(by_pair.items()) if "A" in p and "B" in p]
        self.a = [p["A"] for p in self.pairs]
        self.b = [p["B"] for p in self.pairs]
        # ours vs ours: B is one evaluation, A does `points` of them
        self.factor = self.a[0].get("points", 1) if self.spec.versus == "ours" and self.a else 1
        self.ratios = [p["A"]["median_s"] / (self.factor * p["B"]["median_s"]) for p in self.pairs]

    def a_median(self):
        return median([d["median_s"] for d in self.a])

    def b_median(self):
        return median([d["median_s"] for d in self.b])

    def met(self):
        """yes / **no** by the median; a star where the range crosses the target."""
        target = self.spec.targets.get(self.arch)
        if target is None or not self.ratios:
            return ""
        verdict = "yes" if median(self.ratios) <= target else "**no**"
        crosses = min(self.ratios) <= target < max(self.ratios)
        return verdict + ("*" if crosses else "")

    def load_cell(self, cores):
        """The 1-minute load before the first measurement and after the last, flagged when
        either passed the core count (bench/README.md, "How to read the tables")."""
        lines = self.a + self.b
        before, after = min(lines, key=order)["load_before"], max(lines, key=order)["load_after"]
        loaded = cores is not None and max(before, after) > cores
        return "%.1f / %.1f%s" % (before, after, " **loaded**" if loaded else "")

    def cells(self, peak, cores):
        target = self.spec.targets.get(self.arch)
        a0 = self.a[0]
        gflops = median([d["gflops"] for d in self.a])
        if self.spec.versus == "ours":
            b_cell = "%d x %s (ours)" % (self.factor, fmt_s(self.b_median()))
            mem = "%.0f" % max(d["peak_rss_mb"] for d in self.a)
        else:
            b_cell = fmt_s(self.b_median())
            ours_mb = max(d["peak_rss_mb"] for d in self.a)
            torch_mb = max(d["peak_rss_mb"] for d in self.b)
            mem = "%.0f%s / %.0f" % (ours_mb, " (**more**)" if ours_mb > torch_mb else "", torch_mb)
        return [self.spec.label, self.arch, images_cell(a0), fmt_s(self.a_median()), b_cell,
                "%.2f" % median(self.ratios),
                "[%.2f, %.2f]" % (min(self.ratios), max(self.ratios)), str(len(self.pairs)),
                "%.2f" % target if target else "-", self.met(),
                "%.1f%s" % (gflops, " (%.0f%%)" % (100 * gflops / peak) if peak else ""),
                self.load_cell(cores), mem]


def order(d):
    return (d["pair"], d["role"])


def images_cell(d):
    if d["what"] == "kpca":
        return "%d sets" % d.get("sets", 0)
    points = d.get("points", 0)
    return "%d%s" % (d["images"], " x %d points" % points if points else "")


def machine_header(machine, rows):
    out = []
    for key, value in machine.items():
        if key == "side":
            continue
        if key == "pytorch":
            try:
                p = json.loads(value)
                value = "%s, parallel backend %s, CPU capability %s, BLAS %s" % (
                    p["pytorch"], p["parallel"], p["cpu_capability"], p["blas"])
            except (ValueError, KeyError):
                pass
        out.append("- %s: %s" % (key, value))
    cores = sorted({d.get("blas_core", "?") for d in rows if d["side"] == "ours"})
    out.append("- OpenBLAS core used by our measurements (openblas_get_corename): " +
               (", ".join(cores) or "-"))
    return out


def thread_table(t, rows, peak, cores):
    out = ["## %d thread%s" % (t, "" if t == 1 else "s"), "",
           "| measurement | model | images | ours s | PyTorch s | ratio | ratio range | pairs | "
           "target | met | GFLOP/s (% peak) | load before / after | MiB ours / PyTorch |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for figure in FIGURES:
        for row in sorted((r for r in rows if r.figure == figure and r.threads == t),
                          key=lambda r: ARCHS.index(r.arch) if r.arch in ARCHS else 9):
            out.append("| " + " | ".join(row.cells(peak.get(t), cores)) + " |")
    return out + [""]


def scaling_table(threads, rows):
    out = ["## Scaling (median seconds of A, and of B against PyTorch; speed-up over %d "
           "thread%s in parentheses)" % (threads[0], "" if threads[0] == 1 else "s"), "",
           "| measurement | model | " + " | ".join("%d thr ours | %d thr PyTorch" % (t, t)
                                                 for t in threads) + " |",
           "|---|---|" + "---|---|" * len(threads)]
    for figure, spec in FIGURES.items():
        for arch in ARCHS:
            at = {r.threads: r for r in rows if r.figure == figure and r.arch == arch and r.pairs}
            if not at:
                continue
            cells = []
            for t in threads:
                for side in ("A", "B"):
                    if side == "B" and spec.versus == "ours" or t not in at:
                        cells.append("-")
                        continue
                    s = at[t].a_median() if side == "A" else at[t].b_median()
                    base = at.get(threads[0])
                    base_s = None if base is None else base.a_median() if side == "A" else base.b_median()
                    cells.append(fmt_s(s) + (" (%.1fx)" % (base_s / s) if base_s else ""))
            out.append("| %s | %s | %s |" % (spec.label, arch, " | ".join(cells)))
    return out + [""]


def determinism_table(threads, lines, checks):
    ours = [d for d in lines if d.get("figure") == "fullbatch" and d["side"] == "ours"]
    if not ours:
        return []
    out = ["## Determinism (float32, full batch of %d images)" % max(d["images"] for d in ours), "",
           "| model | same bits in every call (per thread count) | largest gradient difference "
           "vs %d thread(s), relative to the largest component |" % threads[0],
           "|---|---|---|"]
    for arch in ARCHS:
        same = ["%d: %s" % (t, "yes" if all(d["same_bits_each_call"] for d in ours
                                            if d["arch"] == arch and d["threads"] == t) else "**no**")
                for t in threads if any(d["arch"] == arch and d["threads"] == t for d in ours)]
        diffs = ["%d: %.2g" % (d["threads"], d["max_rel_diff"]) for d in checks
                 if d["arch"] == arch and d["threads"] != d["vs_threads"]]
        if same or diffs:
            out.append("| %s | %s | %s |" % (arch, ", ".join(same) or "-", ", ".join(diffs) or "-"))
    return out + [""]


def explanation(cores):
    return ("Each figure is `pairs` pairs of measurements taken A B A B A B, each in a process of "
            "its own: A ours, B PyTorch (or, in the ours-vs-ours rows, our single evaluation that "
            "A's points replace: the PyTorch column then reads `points x` its median). ours s and "
            "PyTorch s are the medians of each side's measurements; ratio is the median of the "
            "pairs' ratios A / B (ours-vs-ours: A / (points x B)), ratio range their least and "
            "largest; met compares the median ratio with the issue's target, and a star marks a "
            "range that crosses the target (more pairs would tell). A measurement is the median "
            "of 1 timed call (LeNet and LSTM full batches, path steps, surfaces) or of 3-5 (the "
            "short ones; an SGD step is timed 100 in a row) after one warm-up call (none for path "
            "steps and surfaces). GFLOP/s: ours (A), a gradient counted as 3x the model's forward "
            "FLOPs; %% peak against the sgemm peak at that thread count; FCP and the autoencoder "
            "can pass 100%% (their first layer skips the zero pixels). load: the 1-minute load "
            "average before the figure's first measurement and after its last (%s cores); in a row "
            "marked loaded it passed the core count: its seconds are not this machine's, and its "
            "ratio holds only as far as its range is narrow (bench/README.md)." % cores)


def main():
    lines = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    machine = {}
    for d in lines:
        if d["side"] == "machine":
            machine.update(d)
    measured = [d for d in lines if d["side"] in ("ours", "torch")]
    checks = [d for d in lines if d["side"] == "check"]
    peak = {d["threads"]: d["gflop"] / d["min_s"] for d in measured if d.get("figure") == "sgemm"}
    groups = {}
    for d in measured:
        if d.get("figure") in FIGURES:
            groups.setdefault((d["figure"], d["arch"], d["threads"]), []).append(d)
    rows = [Row(f, a, t, g) for (f, a, t), g in groups.items()]
    rows = [r for r in rows if r.pairs]
    threads = sorted({r.threads for r in rows} | set(peak))

    out = ["# `make bench`: landscape vs PyTorch, float32, interleaved pairs", ""]
    out += machine_header(machine, measured)
    out += ["- sgemm peak (OpenBLAS, 4096^3, this run): " +
            ", ".join("%d threads %.0f GFLOP/s" % (t, peak[t]) for t in threads if t in peak)]
    out += ["", explanation(machine.get("cores", "?")), ""]
    cores = int(machine["cores"]) if str(machine.get("cores", "")).isdigit() else None
    for t in threads:
        out += thread_table(t, rows, peak, cores)
    if len(threads) > 1:
        out += scaling_table(threads, rows)
    out += determinism_table(threads, measured, checks)
    print("\n".join(out))


if __name__ == "__main__":
    main()
