package io.modelgate.metrics;

import java.util.Arrays;

/**
 * A classifier's scores sorted within every scope, for the metrics that rank rows (ROC AUC,
 * average precision) and their estimates. Per slice column the sort keys ({@link RadixSort#key})
 * are placed in buckets by (value, label) and each bucket radix-sorted once; the overall order is
 * merged from the first column's buckets (without slice columns: from one sorted run per thread).
 * Two arrays of {@code n} longs in all, reused for every column.
 */
final class ScoreOrder {
    private static final int MIN_ROWS_PER_THREAD = 200_000;

    /**
     * What is done with one scope's sorted keys: the positives' {@code pos[pf, pt)} and the
     * negatives' {@code neg[nf, nt)}, both ascending, valid only during the call. Called on several
     * threads at once, each call for a different scope.
     */
    @FunctionalInterface
    interface Visitor {
        void visit(int scope, long[] pos, int pf, int pt, long[] neg, int nf, int nt);
    }

    private ScoreOrder() {
    }

    /** Visits every scope of {@code layout} (the biggest first within a column; scope 0 after the first column). */
    static void visit(Predictions p, ScopeLayout layout, ClassificationCounts counts, Visitor visitor) {
        int n = p.size();
        if (n == 0) {
            return;
        }
        double[] labels = p.labels();
        double[] scores = p.scores();
        long[] keys = new long[n];
        long[] tmp = new long[n];
        if (layout.columns() == 0) {
            int runs = Math.max(1, Math.min(Parallel.threads(), n / MIN_ROWS_PER_THREAD));
            int[] start = new int[2 * runs + 1];
            Parallel.forEach(runs, r -> bucketRows(labels, scores, keys, start, r, runs));
            start[2 * runs] = n;
            sortBuckets(keys, tmp, start);
            overall(keys, tmp, start, n, visitor);
        }
        for (int c = 0; c < layout.columns(); c++) {
            int k = layout.sizes[c];
            int base = layout.base[c];
            int[] bucketStart = new int[2 * k + 1];
            int o = 0;
            for (int v = 0; v < k; v++) {
                bucketStart[2 * v] = o;
                o += (int) (counts.count[base + v] - counts.positives[base + v]);
                bucketStart[2 * v + 1] = o;
                o += (int) counts.positives[base + v];
            }
            bucketStart[2 * k] = o;
            int[] cursor = Arrays.copyOf(bucketStart, 2 * k);
            int[] codes = layout.codes[c];
            for (int i = 0; i < n; i++) {
                int b = 2 * codes[i] + (labels[i] != 0.0 ? 1 : 0);
                keys[cursor[b]++] = RadixSort.key(scores[i]);
            }
            sortBuckets(keys, tmp, bucketStart);
            Integer[] order = new Integer[k];
            for (int v = 0; v < k; v++) {
                order[v] = v;
            }
            Arrays.sort(order, (x, y) -> Long.compare(counts.count[base + y], counts.count[base + x]));
            Parallel.forEach(k, t -> {
                int v = order[t];
                visitor.visit(base + v, keys, bucketStart[2 * v + 1], bucketStart[2 * v + 2],
                        keys, bucketStart[2 * v], bucketStart[2 * v + 1]);
            });
            if (c == 0) {
                overall(keys, tmp, bucketStart, n, visitor);
            }
        }
    }

    /** Run {@code r} of {@code runs} equal row ranges: its negatives' keys, then its positives', in place. */
    private static void bucketRows(double[] labels, double[] scores, long[] keys, int[] start, int r, int runs) {
        int n = labels.length;
        int from = (int) ((long) n * r / runs);
        int to = (int) ((long) n * (r + 1) / runs);
        int negatives = 0;
        for (int i = from; i < to; i++) {
            if (labels[i] == 0.0) {
                negatives++;
            }
        }
        int neg = from;
        int pos = from + negatives;
        start[2 * r] = from;
        start[2 * r + 1] = pos;
        for (int i = from; i < to; i++) {
            long key = RadixSort.key(scores[i]);
            if (labels[i] == 0.0) {
                keys[neg++] = key;
            } else {
                keys[pos++] = key;
            }
        }
    }

    /** Merges the sorted (negatives, positives) bucket pairs of {@code keys} into {@code tmp} and visits scope 0. */
    private static void overall(long[] keys, long[] tmp, int[] bucketStart, int n, Visitor visitor) {
        int k = (bucketStart.length - 1) / 2;
        int[] negLo = new int[k];
        int[] negHi = new int[k];
        int[] posLo = new int[k];
        int[] posHi = new int[k];
        int negatives = 0;
        for (int v = 0; v < k; v++) {
            negLo[v] = bucketStart[2 * v];
            negHi[v] = bucketStart[2 * v + 1];
            posLo[v] = bucketStart[2 * v + 1];
            posHi[v] = bucketStart[2 * v + 2];
            negatives += negHi[v] - negLo[v];
        }
        int parts = Parallel.threads();
        Ranking.mergeParallel(keys, negLo, negHi, tmp, 0, parts);
        Ranking.mergeParallel(keys, posLo, posHi, tmp, negatives, parts);
        visitor.visit(0, tmp, negatives, n, tmp, 0, negatives);
    }

    /** Sorts each {@code keys[start[b], start[b + 1])}, biggest buckets first, on all threads. */
    private static void sortBuckets(long[] keys, long[] tmp, int[] start) {
        int buckets = start.length - 1;
        Integer[] order = new Integer[buckets];
        for (int b = 0; b < buckets; b++) {
            order[b] = b;
        }
        Arrays.sort(order, (x, y) -> Integer.compare(start[y + 1] - start[y], start[x + 1] - start[x]));
        Parallel.forEach(buckets, t -> {
            int b = order[t];
            RadixSort.sort(keys, start[b], start[b + 1], tmp);
        });
    }
}
