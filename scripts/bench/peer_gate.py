#!/usr/bin/env python3
"""The peer for `modelgate bench gate`: the same gate metrics with pandas + scikit-learn.

Reads a predictions CSV with pandas.read_csv and computes what the gate benchmark computes:
ROC AUC, log loss and accuracy over all rows, and ROC AUC per slice (groupby). Prints its own
timings and results as key=value lines, which GateBenchmark reads:

    read_seconds=2.41
    compute_seconds=3.02
    roc_auc=0.8123456789
    ...

Usage: peer_gate.py FILE [--label-column label] [--score-column score] [--slice-column region]
                         [--threshold 0.5]
"""
import argparse
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--label-column", default="label")
    parser.add_argument("--score-column", default="score")
    parser.add_argument("--slice-column", default="region")
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()

    import_start = time.perf_counter()
    import pandas as pd
    from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
    import_seconds = time.perf_counter() - import_start

    start = time.perf_counter()
    df = pd.read_csv(args.file)
    read_seconds = time.perf_counter() - start

    start = time.perf_counter()
    y = df[args.label_column].to_numpy()
    p = df[args.score_column].to_numpy()
    auc = roc_auc_score(y, p)
    loss = log_loss(y, p)
    accuracy = accuracy_score(y, (p >= args.threshold).astype(int))
    per_slice = {}
    for value, group in df.groupby(args.slice_column, sort=False):
        per_slice[value] = roc_auc_score(group[args.label_column], group[args.score_column])
    compute_seconds = time.perf_counter() - start

    print(f"import_seconds={import_seconds:.4f}")
    print(f"read_seconds={read_seconds:.4f}")
    print(f"compute_seconds={compute_seconds:.4f}")
    print(f"rows={len(df)}")
    print(f"roc_auc={auc!r}")
    print(f"log_loss={loss!r}")
    print(f"accuracy={accuracy!r}")
    print(f"slices={len(per_slice)}")
    for value, slice_auc in per_slice.items():
        print(f"slice_roc_auc.{value}={slice_auc!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
