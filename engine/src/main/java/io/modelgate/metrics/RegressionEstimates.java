package io.modelgate.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The estimates of a regression's metrics in every scope, in two passes over the rows as
 * {@link MetricsCalculator} makes them: the first sums labels, absolute and squared errors, the
 * second (given each scope's means) the centred squares the standard errors need. Small scopes are
 * bootstrapped for R^2.
 */
// Estimates are tables indexed [metric ordinal][scope], as MetricsCalculator's values (dense, one pass);
// the tables never leave the metrics package, so reordering Metric cannot misread them.
@SuppressWarnings("EnumOrdinal")
final class RegressionEstimates {
    private final Predictions predictions;
    private final ScopeLayout layout;
    private final double confidence;
    private final long seed;
    private final int bootstrapMaxRows;
    private final int replicates;

    private final long[] count;
    private final double[] mean;
    private final double[] mae;
    private final double[] mse;
    /** Sum of squared errors: R^2 divides it, not {@code mse * n}, which may differ in the last bit. */
    private final double[] sse;
    /** Second pass, per scope: sum of (y - mean)^2, of (|e| - mae)^2, of (e^2 - mse)^2, of (e^2 - mse)(y - mean)^2, of (y - mean)^4. */
    private final double[] ssTot;
    private final double[] absSquares;
    private final double[] sqSquares;
    private final double[] sqCross;
    private final double[] fourth;
    private final double[][] r2Replicates;

    RegressionEstimates(Predictions predictions, ScopeLayout layout, double confidence, long seed, int bootstrapMaxRows,
                        int replicates) {
        this.predictions = predictions;
        this.layout = layout;
        this.confidence = confidence;
        this.seed = seed;
        this.bootstrapMaxRows = bootstrapMaxRows;
        this.replicates = replicates;
        int sc = layout.count;
        count = new long[sc];
        mean = new double[sc];
        mae = new double[sc];
        mse = new double[sc];
        sse = new double[sc];
        ssTot = new double[sc];
        absSquares = new double[sc];
        sqSquares = new double[sc];
        sqCross = new double[sc];
        fourth = new double[sc];
        r2Replicates = new double[sc][];
    }

    Estimate[][] run() {
        firstPass();
        secondPass();
        bootstrap();
        return estimates();
    }

    private void firstPass() {
        double[] labels = predictions.labels();
        double[] scores = predictions.scores();
        int n = predictions.size();
        int sc = layout.count;
        int blocks = ScopeLayout.blocks(n);
        long[][] counts = new long[blocks][];
        double[][] sums = new double[blocks][]; // per scope: y, |e|, e^2 as (value, compensation) pairs
        int columns = layout.columns();
        Parallel.forEach(blocks, b -> {
            long[] cnt = new long[sc];
            double[] s = new double[6 * sc];
            int from = ScopeLayout.blockStart(n, b);
            int to = ScopeLayout.blockStart(n, b + 1);
            for (int i = from; i < to; i++) {
                double y = labels[i];
                double e = y - scores[i];
                double ae = Math.abs(e);
                double se = e * e;
                cnt[0]++;
                Sums.add(s, 0, y);
                Sums.add(s, 1, ae);
                Sums.add(s, 2, se);
                for (int c = 0; c < columns; c++) {
                    int scope = layout.base[c] + layout.codes[c][i];
                    cnt[scope]++;
                    Sums.add(s, 3 * scope, y);
                    Sums.add(s, 3 * scope + 1, ae);
                    Sums.add(s, 3 * scope + 2, se);
                }
            }
            counts[b] = cnt;
            sums[b] = s;
        });
        double[] y = new double[2];
        double[] a = new double[2];
        double[] q = new double[2];
        for (int s = 0; s < sc; s++) {
            y[0] = y[1] = a[0] = a[1] = q[0] = q[1] = 0;
            for (int b = 0; b < blocks; b++) {
                count[s] += counts[b][s];
                double[] part = sums[b];
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

    private void secondPass() {
        double[] labels = predictions.labels();
        double[] scores = predictions.scores();
        int n = predictions.size();
        int sc = layout.count;
        int blocks = ScopeLayout.blocks(n);
        double[][] parts = new double[blocks][];
        int columns = layout.columns();
        Parallel.forEach(blocks, b -> {
            // per scope: (y - mean)^2 as a compensated pair, then four plain sums
            double[] s = new double[6 * sc];
            int from = ScopeLayout.blockStart(n, b);
            int to = ScopeLayout.blockStart(n, b + 1);
            for (int i = from; i < to; i++) {
                double y = labels[i];
                double e = y - scores[i];
                double ae = Math.abs(e);
                double se = e * e;
                accumulate(s, 0, y, ae, se);
                for (int c = 0; c < columns; c++) {
                    accumulate(s, layout.base[c] + layout.codes[c][i], y, ae, se);
                }
            }
            parts[b] = s;
        });
        double[] tot = new double[2];
        for (int s = 0; s < sc; s++) {
            tot[0] = tot[1] = 0;
            for (int b = 0; b < blocks; b++) {
                double[] part = parts[b];
                Sums.combine(tot, part[6 * s], part[6 * s + 1]);
                absSquares[s] += part[6 * s + 2];
                sqSquares[s] += part[6 * s + 3];
                sqCross[s] += part[6 * s + 4];
                fourth[s] += part[6 * s + 5];
            }
            ssTot[s] = tot[0] + tot[1];
        }
    }

    private void accumulate(double[] s, int scope, double y, double ae, double se) {
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
    }

    // ------------------------------------------------------------------ bootstrap of small scopes

    private void bootstrap() {
        double[] labels = predictions.labels();
        double[] scores = predictions.scores();
        int n = predictions.size();
        List<int[]> work = new ArrayList<>(); // {scope, first, end} into rows
        List<int[]> rowLists = new ArrayList<>();
        if (n > 0 && n <= bootstrapMaxRows) {
            rowLists.add(PairSort.identity(n));
            work.add(new int[] {0, 0, n, 0});
        }
        for (int c = 0; c < layout.columns(); c++) {
            int base = layout.base[c];
            int k = layout.sizes[c];
            boolean any = false;
            for (int v = 0; v < k; v++) {
                any |= count[base + v] > 0 && count[base + v] <= bootstrapMaxRows;
            }
            if (!any) {
                continue;
            }
            int[] start = new int[k + 1];
            for (int v = 0; v < k; v++) {
                start[v + 1] = start[v] + (int) count[base + v];
            }
            int[] cursor = start.clone();
            int[] rows = new int[n];
            int[] codes = layout.codes[c];
            for (int i = 0; i < n; i++) {
                rows[cursor[codes[i]]++] = i;
            }
            int list = rowLists.size();
            rowLists.add(rows);
            for (int v = 0; v < k; v++) {
                if (count[base + v] > 0 && count[base + v] <= bootstrapMaxRows) {
                    work.add(new int[] {base + v, start[v], start[v + 1], list});
                }
            }
        }
        Parallel.forEach(work.size(), t -> {
            int[] w = work.get(t);
            int scope = w[0];
            int[] rows = rowLists.get(w[3]);
            int m = w[2] - w[1];
            double[] centered = new double[m];
            double[] squaredError = new double[m];
            for (int j = 0; j < m; j++) {
                int i = rows[w[1] + j];
                double e = labels[i] - scores[i];
                centered[j] = labels[i] - mean[scope];
                squaredError[j] = e * e;
            }
            double[] reps = new double[replicates];
            PoissonBootstrap.regression(centered, squaredError, m,
                    new PoissonBootstrap.Weights(PoissonBootstrap.stream(seed, scope)), reps);
            r2Replicates[scope] = reps;
        });
    }

    // ------------------------------------------------------------------ estimates

    private Estimate[][] estimates() {
        double z = io.modelgate.common.Normal.z(confidence);
        Estimate[][] out = new Estimate[Metric.values().length][layout.count];
        for (int s = 0; s < layout.count; s++) {
            long n = count[s];
            double rmse = n == 0 ? Double.NaN : Math.sqrt(mse[s]);
            double q = Intervals.t(confidence, (double) (n - 1));
            double seMse = n < 2 ? Double.NaN : Math.sqrt(sqSquares[s] / (n - 1) / n);
            double seRmse = rmse > 0 ? seMse / (2 * rmse) : (rmse == 0 && n >= 2 ? 0 : Double.NaN);
            out[Metric.RMSE.ordinal()][s] = Intervals.symmetric(rmse, n, seRmse, q, 0, Double.POSITIVE_INFINITY, "delta");
            double seMae = n < 2 ? Double.NaN : Math.sqrt(absSquares[s] / (n - 1) / n);
            out[Metric.MAE.ordinal()][s] = Intervals.symmetric(mae[s], n, seMae, q, 0, Double.POSITIVE_INFINITY, "delta");
            double r2 = n == 0 || ssTot[s] == 0.0 ? Double.NaN : 1.0 - sse[s] / ssTot[s];
            if (r2Replicates[s] != null) {
                out[Metric.R2.ordinal()][s] = Intervals.percentile(r2, n, r2Replicates[s], replicates, confidence, "bootstrap");
            } else {
                out[Metric.R2.ordinal()][s] = Intervals.symmetric(r2, n, r2StandardError(s), z, Double.NEGATIVE_INFINITY, 1, "delta");
            }
        }
        return out;
    }

    /**
     * The delta method's standard error of {@code R^2 = 1 - MSE / V} ({@code V} the labels' variance):
     * the influence function is {@code -(u_i - r t_i) / V} with {@code u_i = e_i^2 - MSE},
     * {@code t_i = (y_i - mean)^2 - V} and {@code r = MSE / V}, so
     * {@code se^2 = (sum u^2 - 2 r sum u t + r^2 sum t^2) / (V^2 n^2)}.
     */
    private double r2StandardError(int s) {
        long n = count[s];
        if (n < 2 || ssTot[s] == 0.0) {
            return Double.NaN;
        }
        double v = ssTot[s] / n;
        double r = mse[s] / v;
        double tt = Math.max(0, fourth[s] - n * v * v);
        double ut = sqCross[s]; // sum u t = sum u d^2 - V sum u, and sum u = 0
        double sum = Math.max(0, sqSquares[s] - 2 * r * ut + r * r * tt);
        return Math.sqrt(sum) / (v * n);
    }
}
