package io.modelgate.metrics;

/**
 * A regression's sums in every scope, from two passes over the rows: the first sums labels,
 * absolute and squared errors; the second (given each scope's mean) the centred squares that R^2
 * and the standard errors need. What the metrics ({@link MetricsCalculator}) and their estimates
 * ({@link RegressionEstimates}) are computed from, so an estimate reports the metric's value bit
 * for bit. Sums are per fixed block of rows, added in block order, compensated where a value is
 * reported: the same whatever the number of threads.
 */
final class RegressionMoments {
    final long[] count;
    final double[] mean;
    final double[] mae;
    final double[] mse;
    /** Sum of squared errors: R^2 divides it, not {@code mse * n}, which may differ in the last bit. */
    final double[] sse;
    /** Sum of (y - mean)^2, of (|e| - mae)^2, of (e^2 - mse)^2, of (e^2 - mse)(y - mean)^2, of (y - mean)^4. */
    final double[] ssTot;
    final double[] absSquares;
    final double[] sqSquares;
    final double[] sqCross;
    final double[] fourth;

    private RegressionMoments(int sc, long[] count) {
        this.count = count;
        mean = new double[sc];
        mae = new double[sc];
        mse = new double[sc];
        sse = new double[sc];
        ssTot = new double[sc];
        absSquares = new double[sc];
        sqSquares = new double[sc];
        sqCross = new double[sc];
        fourth = new double[sc];
    }

    static RegressionMoments of(Predictions p, ScopeLayout layout) {
        RegressionMoments m = new RegressionMoments(layout.count, layout.counts(p.size()));
        m.firstPass(p, layout);
        m.secondPass(p, layout);
        return m;
    }

    /** The rows' terms a pass adds into a block's sums for one scope. */
    @FunctionalInterface
    private interface Terms {
        void add(double[] sums, int scope, double y, double absError, double squaredError);
    }

    /** One pass: per block, every row's terms added to scope 0 and to its scope in every column. */
    private static double[][] pass(Predictions p, ScopeLayout layout, Terms terms) {
        double[] labels = p.labels();
        double[] scores = p.scores();
        int n = p.size();
        int blocks = ScopeLayout.blocks(n);
        double[][] parts = new double[blocks][];
        int columns = layout.columns();
        Parallel.forEach(blocks, b -> {
            double[] s = new double[6 * layout.count];
            int from = ScopeLayout.blockStart(n, b);
            int to = ScopeLayout.blockStart(n, b + 1);
            for (int i = from; i < to; i++) {
                double y = labels[i];
                double e = y - scores[i];
                double ae = Math.abs(e);
                double se = e * e;
                terms.add(s, 0, y, ae, se);
                for (int c = 0; c < columns; c++) {
                    terms.add(s, layout.base[c] + layout.codes[c][i], y, ae, se);
                }
            }
            parts[b] = s;
        });
        return parts;
    }

    private void firstPass(Predictions p, ScopeLayout layout) {
        // per scope: y, |e|, e^2 as (value, compensation) pairs
        double[][] parts = pass(p, layout, (s, scope, y, ae, se) -> {
            Sums.add(s, 3 * scope, y);
            Sums.add(s, 3 * scope + 1, ae);
            Sums.add(s, 3 * scope + 2, se);
        });
        double[] y = new double[2];
        double[] a = new double[2];
        double[] q = new double[2];
        for (int s = 0; s < layout.count; s++) {
            y[0] = y[1] = a[0] = a[1] = q[0] = q[1] = 0;
            for (double[] part : parts) {
                Sums.combine(y, part[6 * s], part[6 * s + 1]);
                Sums.combine(a, part[6 * s + 2], part[6 * s + 3]);
                Sums.combine(q, part[6 * s + 4], part[6 * s + 5]);
            }
            long cnt = count[s];
            mean[s] = cnt == 0 ? Double.NaN : (y[0] + y[1]) / cnt;
            mae[s] = cnt == 0 ? Double.NaN : (a[0] + a[1]) / cnt;
            sse[s] = q[0] + q[1];
            mse[s] = cnt == 0 ? Double.NaN : sse[s] / cnt;
        }
    }

    private void secondPass(Predictions p, ScopeLayout layout) {
        // per scope: (y - mean)^2 as a compensated pair, then four plain sums
        double[][] parts = pass(p, layout, (s, scope, y, ae, se) -> {
            double d = y - mean[scope];
            double d2 = d * d;
            Sums.add(s, 3 * scope, d2);
            double a = ae - mae[scope];
            double u = se - mse[scope];
            int k = 6 * scope;
            s[k + 2] += a * a;
            s[k + 3] += u * u;
            s[k + 4] += u * d2;
            s[k + 5] += d2 * d2;
        });
        double[] tot = new double[2];
        for (int s = 0; s < layout.count; s++) {
            tot[0] = tot[1] = 0;
            for (double[] part : parts) {
                Sums.combine(tot, part[6 * s], part[6 * s + 1]);
                absSquares[s] += part[6 * s + 2];
                sqSquares[s] += part[6 * s + 3];
                sqCross[s] += part[6 * s + 4];
                fourth[s] += part[6 * s + 5];
            }
            ssTot[s] = tot[0] + tot[1];
        }
    }
}
