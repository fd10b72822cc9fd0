package io.modelgate.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The estimates of a regression's metrics in every scope, from the sums {@link MetricsCalculator}
 * computes the metrics from ({@link RegressionMoments}). Small scopes are bootstrapped for R^2.
 */
// Estimates are tables indexed [metric ordinal][scope], as MetricsCalculator's values (dense, one pass);
// the tables never leave the metrics package, so reordering Metric cannot misread them.
@SuppressWarnings("EnumOrdinal")
final class RegressionEstimates {
    private final Predictions predictions;
    private final ScopeLayout layout;
    private final EstimateOptions options;
    private final double[][] r2Replicates;
    private RegressionMoments moments;

    RegressionEstimates(Predictions predictions, ScopeLayout layout, EstimateOptions options) {
        this.predictions = predictions;
        this.layout = layout;
        this.options = options;
        r2Replicates = new double[layout.count][];
    }

    Estimate[][] run() {
        moments = RegressionMoments.of(predictions, layout);
        bootstrap();
        return estimates();
    }

    // ------------------------------------------------------------------ bootstrap of small scopes

    private void bootstrap() {
        double[] labels = predictions.labels();
        double[] scores = predictions.scores();
        int n = predictions.size();
        List<int[]> work = new ArrayList<>(); // {scope, first, end} into rows
        List<int[]> rowLists = new ArrayList<>();
        if (n > 0 && n <= options.bootstrapMaxRows()) {
            rowLists.add(PairSort.identity(n));
            work.add(new int[] {0, 0, n, 0});
        }
        for (int c = 0; c < layout.columns(); c++) {
            int base = layout.base[c];
            int k = layout.sizes[c];
            boolean any = false;
            for (int v = 0; v < k; v++) {
                any |= moments.count[base + v] > 0 && moments.count[base + v] <= options.bootstrapMaxRows();
            }
            if (!any) {
                continue;
            }
            int[] start = new int[k + 1];
            for (int v = 0; v < k; v++) {
                start[v + 1] = start[v] + (int) moments.count[base + v];
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
                if (moments.count[base + v] > 0 && moments.count[base + v] <= options.bootstrapMaxRows()) {
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
                centered[j] = labels[i] - moments.mean[scope];
                squaredError[j] = e * e;
            }
            double[] reps = new double[options.replicates()];
            PoissonBootstrap.regression(centered, squaredError, m,
                    options.weights(scope), reps);
            r2Replicates[scope] = reps;
        });
    }

    // ------------------------------------------------------------------ estimates

    private Estimate[][] estimates() {
        double confidence = options.confidence();
        double z = io.modelgate.common.Normal.z(confidence);
        Estimate[][] out = new Estimate[Metric.values().length][layout.count];
        for (int s = 0; s < layout.count; s++) {
            long n = moments.count[s];
            double rmse = n == 0 ? Double.NaN : Math.sqrt(moments.mse[s]);
            double q = Intervals.t(confidence, (double) (n - 1));
            double seMse = n < 2 ? Double.NaN : Math.sqrt(moments.sqSquares[s] / (n - 1) / n);
            double seRmse = rmse > 0 ? seMse / (2 * rmse) : (rmse == 0 && n >= 2 ? 0 : Double.NaN);
            out[Metric.RMSE.ordinal()][s] = Intervals.symmetric(rmse, n, seRmse, q, 0, Double.POSITIVE_INFINITY, "delta");
            double seMae = n < 2 ? Double.NaN : Math.sqrt(moments.absSquares[s] / (n - 1) / n);
            out[Metric.MAE.ordinal()][s] = Intervals.symmetric(moments.mae[s], n, seMae, q, 0, Double.POSITIVE_INFINITY, "delta");
            double r2 = n == 0 || moments.ssTot[s] == 0.0 ? Double.NaN : 1.0 - moments.sse[s] / moments.ssTot[s];
            if (r2Replicates[s] != null) {
                out[Metric.R2.ordinal()][s] = Intervals.percentile(r2, n, r2Replicates[s], options.replicates(), confidence, "bootstrap");
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
        long n = moments.count[s];
        if (n < 2 || moments.ssTot[s] == 0.0) {
            return Double.NaN;
        }
        double v = moments.ssTot[s] / n;
        double r = moments.mse[s] / v;
        double tt = Math.max(0, moments.fourth[s] - n * v * v);
        double ut = moments.sqCross[s]; // sum u t = sum u d^2 - V sum u, and sum u = 0
        double sum = Math.max(0, moments.sqSquares[s] - 2 * r * ut + r * r * tt);
        return Math.sqrt(sum) / (v * n);
    }
}
