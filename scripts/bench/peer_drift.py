#!/usr/bin/env python3
"""The drift benchmark's peer: SciPy's time for the same statistics on the same files.

Reads both CSVs with numpy (not timed: reading is not what is compared here), then times, per
column, what Modelgate computes with its default methods for a large reference, the way Evidently
calls SciPy: scipy.stats.wasserstein_distance / max(np.std(ref), 0.001) for numeric columns, value
counts (np.unique) + scipy.spatial.distance.jensenshannon for categorical ones. Prints one JSON line:
{"stats_seconds": ..., "read_seconds": ..., "columns": {name: value}}.
"""
import json
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance


def read(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    raw = np.loadtxt(path, delimiter=",", skiprows=1, dtype=str)
    cols = {}
    for i, name in enumerate(header):
        col = raw[:, i]
        try:
            cols[name] = col.astype(float)
        except ValueError:
            cols[name] = col
    return cols


def main():
    t0 = time.perf_counter()
    ref = read(sys.argv[1])
    cur = read(sys.argv[2])
    t1 = time.perf_counter()
    out = {}
    for name, r in ref.items():
        c = cur[name]
        if r.dtype.kind == "f":
            out[name] = float(stats.wasserstein_distance(r, c) / max(np.std(r), 0.001))
        else:
            keys, inv = np.unique(np.concatenate([r, c]), return_inverse=True)
            rp = np.bincount(inv[: len(r)], minlength=len(keys)) / len(r)
            cp = np.bincount(inv[len(r):], minlength=len(keys)) / len(c)
            out[name] = float(distance.jensenshannon(rp, cp, 2))
    t2 = time.perf_counter()
    print(json.dumps({"read_seconds": t1 - t0, "stats_seconds": t2 - t1, "columns": out}))


if __name__ == "__main__":
    main()
