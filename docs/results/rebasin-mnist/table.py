#!/usr/bin/env python3
"""The table of docs/results/rebasin-mnist/README.md from a run's OUT: one row per width, split
and method, with the mean (min-max) over the 3 pairs of the straight-line excess barrier before
and after alignment, the mean distances before and after, and the runs' mean lowest training and
test losses."""
import csv, os, sys
out = sys.argv[1]
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['width', 'split', 'method', 'pairs', 'excess_before_mean', 'excess_before_min', 'excess_before_max',
            'excess_after_mean', 'excess_after_min', 'excess_after_max', 'distance_before_mean',
            'distance_after_mean', 'min_train_loss_mean', 'min_test_loss_mean'])
for width in (32, 128, 512):
    runs = list(csv.DictReader(open(f'{out}/mlp-{width}/sgd/runs.csv')))
    train = sum(float(r['min_train_loss']) for r in runs) / len(runs)
    test = sum(float(r['min_test_loss']) for r in runs) / len(runs)
    for split in ('train', 'test'):
        for method in ('weight', 'activation'):
            f = f'{out}/mlp-{width}/align-{method}-{split}/align.csv'
            if not os.path.exists(f):
                continue
            rows = list(csv.DictReader(open(f)))
            col = lambda k: [float(r[k]) for r in rows]
            b, a = col('H_excess_before'), col('H_excess_after')
            w.writerow([width, split, method, len(rows), f'{sum(b)/len(b):.4g}', f'{min(b):.4g}', f'{max(b):.4g}',
                        f'{sum(a)/len(a):.4g}', f'{min(a):.4g}', f'{max(a):.4g}',
                        f'{sum(col("distance_before"))/len(rows):.4g}', f'{sum(col("distance_after"))/len(rows):.4g}',
                        f'{train:.4g}', f'{test:.4g}'])
