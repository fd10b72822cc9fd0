package io.modelgate.metrics;

import java.util.SplittableRandom;

/**
 * The Poisson bootstrap of small scopes: each replicate gives every row a weight drawn from
 * Poisson(1) (how often it would be drawn in a resample of the same size, in the limit) and
 * recomputes the metric with those weights. Each scope draws from its own stream, seeded from the
 * caller's seed and the scope's number, so the result depends on neither the thread count nor the
 * other scopes.
 */
final class PoissonBootstrap {
    /** Bootstrap replicates per scope. */
    static final int REPLICATES = 400;
    /** Scopes with at most this many rows are bootstrapped; larger ones use the delta method. */
    static final int MAX_ROWS = 20_000;

    /** High bit of an order entry: this row starts a group of tied scores (in ascending order). */
    static final int GROUP_START = 1 << 31;

    private PoissonBootstrap() {
    }

    /** The random stream of one scope: SplitMix64's finaliser of the seed and the scope number. */
    static SplittableRandom stream(long seed, int scope) {
        long z = seed + 0x9E3779B97F4A7C15L * (scope + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    /**
     * Poisson(1) variates by inverting the distribution function at a 32-bit uniform (two per
     * {@code nextLong}); the probabilities are exact to 2^-32.
     */
    static final class Weights {
        private static final long[] CUMULATIVE = cumulative();
        private final SplittableRandom random;
        private long bits;
        private boolean half;

        Weights(SplittableRandom random) {
            this.random = random;
        }

        private static long[] cumulative() {
            long[] c = new long[14];
            double p = Math.exp(-1);
            double sum = 0;
            for (int k = 0; k < 13; k++) {
                sum += p;
                c[k] = (long) Math.floor(sum * 4294967296.0);
                p /= k + 1;
            }
            c[13] = 1L << 32; // every 32-bit uniform is below it
            return c;
        }

        int next() {
            long u;
            if (half) {
                u = bits >>> 32;
                half = false;
            } else {
                bits = random.nextLong();
                u = bits & 0xFFFFFFFFL;
                half = true;
            }
            int k = 0;
            while (u >= CUMULATIVE[k]) {
                k++;
            }
            return k;
        }
    }

    // ------------------------------------------------------------------ one model

    /**
     * Replicates of f1 and average precision of a scope from its positives' keys {@code pos[pf, pt)}
     * and negatives' keys {@code neg[nf, nt)}, both sorted ascending: weights are drawn in the order
     * of a walk down the scores (rows are exchangeable, so which row gets which weight is immaterial).
     * A replicate without weighted positives or negatives has NaN average precision.
     */
    static void classification(long[] pos, int pf, int pt, long[] neg, int nf, int nt, long thresholdKey,
                               Weights w, double[] f1, double[] ap) {
        for (int r = 0; r < f1.length; r++) {
            int i = pt - 1;
            int j = nt - 1;
            long tp = 0;
            long pp = 0;
            long predictedTp = 0;
            long predictedPp = 0;
            double sum = 0;
            while (i >= pf || j >= nf) {
                long v;
                if (i < pf) {
                    v = neg[j];
                } else if (j < nf) {
                    v = pos[i];
                } else {
                    v = Math.max(pos[i], neg[j]);
                }
                long wp = 0;
                while (i >= pf && pos[i] == v) {
                    wp += w.next();
                    i--;
                }
                long wn = 0;
                while (j >= nf && neg[j] == v) {
                    wn += w.next();
                    j--;
                }
                tp += wp;
                pp += wp + wn;
                if (wp > 0) {
                    sum += wp * ((double) tp / pp);
                }
                if (v >= thresholdKey) {
                    predictedTp = tp;
                    predictedPp = pp;
                }
            }
            long positives = tp;
            long negatives = pp - tp;
            ap[r] = positives == 0 || negatives == 0 ? Double.NaN : sum / positives;
            f1[r] = f1(predictedTp, predictedPp - predictedTp, positives - predictedTp);
        }
    }

    /**
     * Replicates of R^2 of a scope's rows: {@code centered[k]} is the label minus the scope's mean
     * (which keeps the weighted sum of squares free of cancellation), {@code squaredError[k]} the
     * squared error. NaN where the weighted labels have no spread.
     */
    static void regression(double[] centered, double[] squaredError, int m, Weights w, double[] r2) {
        double[] centeredSquares = new double[m];
        for (int k = 0; k < m; k++) {
            centeredSquares[k] = centered[k] * centered[k];
        }
        weightedSums(new double[][] {centered, centeredSquares, squaredError}, m, w, r2.length, null, (r, total, sum) -> {
            double ssTot = total == 0 ? 0 : sum[1] - sum[0] * sum[0] / total;
            r2[r] = ssTot > 0 ? 1 - sum[2] / ssTot : Double.NaN;
        });
    }

    /** What one replicate makes of its weighted sums. */
    @FunctionalInterface
    interface Replicate {
        /**
         * @param total the replicate's total weight
         * @param sum   {@code sum[c]}: the weighted sum of column {@code c}, reused by the next replicate
         */
        void accept(int replicate, long total, double[] sum);
    }

    /**
     * Draws {@code replicates} sets of weights for rows {@code 0 .. m-1} and hands each replicate
     * the weighted sums of every column (indicators as 0/1: the sums of counts stay exact). With
     * {@code weight} non-null, the replicate's weights are left there for the body to use.
     */
    static void weightedSums(double[][] columns, int m, Weights w, int replicates, int[] weight, Replicate body) {
        double[] sum = new double[columns.length];
        for (int r = 0; r < replicates; r++) {
            long total = 0;
            java.util.Arrays.fill(sum, 0);
            for (int k = 0; k < m; k++) {
                int x = w.next();
                if (weight != null) {
                    weight[k] = x;
                }
                if (x == 0) {
                    continue;
                }
                total += x;
                for (int c = 0; c < columns.length; c++) {
                    sum[c] += x * columns[c][k];
                }
            }
            body.accept(r, total, sum);
        }
    }

    static double f1(long tp, long fp, long fn) {
        long d = 2 * tp + fp + fn;
        return d == 0 ? Double.NaN : 2.0 * tp / d; // no positives and none predicted: undefined, as MetricsCalculator says
    }

    // ------------------------------------------------------------------ paired

    /** Weighted average precision walking {@code order} down; NaN without weighted positives or negatives. */
    static double averagePrecision(boolean[] positive, int[] order, int m, int[] weight) {
        long tp = 0;
        long pp = 0;
        double sum = 0;
        int k = m - 1;
        while (k >= 0) {
            long wp = 0;
            long wn = 0;
            int e;
            do {
                e = order[k--];
                int row = e & ~GROUP_START;
                if (positive[row]) {
                    wp += weight[row];
                } else {
                    wn += weight[row];
                }
            } while ((e & GROUP_START) == 0);
            tp += wp;
            pp += wp + wn;
            if (wp > 0) {
                sum += wp * ((double) tp / pp);
            }
        }
        return tp == 0 || pp == tp ? Double.NaN : sum / tp;
    }

    /**
     * The rows {@code 0 .. m-1} in ascending order of {@code keys}, each entry a row number with
     * {@link #GROUP_START} on the first of each group of equal keys. {@code keys} is sorted in place.
     */
    static int[] order(long[] keys, int m) {
        int[] rows = PairSort.identity(m);
        PairSort.sort(keys, rows, m, new long[m], new int[m]);
        for (int k = 0; k < m; k++) {
            if (k == 0 || keys[k] != keys[k - 1]) {
                rows[k] |= GROUP_START;
            }
        }
        return rows;
    }
}
