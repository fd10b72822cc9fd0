package io.modelgate.metrics;

/**
 * Estimates of candidate minus baseline on the same rows, per scope. Each scope's rows are taken
 * out on their own (row numbers, then per-row labels, terms and sort keys) and worked on in one
 * task; the work is per row, so it costs a few times {@link ClassificationEstimates}, which needs
 * only counts per group of tied scores. Rows of a pair are dependent: every variance here is one of
 * per-row differences, which is what makes a paired comparison sharper than two separate ones.
 */
// Estimates are tables indexed [metric ordinal][scope], as MetricsCalculator's values (dense, one pass);
// the tables never leave the metrics package, so reordering Metric cannot misread them.
@SuppressWarnings("EnumOrdinal")
final class PairedEstimates {
    private final Predictions candidate;
    private final Predictions baseline;
    private final ScopeLayout layout;
    private final double threshold;
    private final EstimateOptions options;
    /** Per scope and metric ordinal: candidate's value minus baseline's, as the calculator computes them. */
    private final double[][] values;

    PairedEstimates(Predictions candidate, Predictions baseline, ScopeLayout layout, double threshold,
                    EstimateOptions options, double[][] values) {
        this.candidate = candidate;
        this.baseline = baseline;
        this.layout = layout;
        this.threshold = threshold;
        this.options = options;
        this.values = values;
    }

    /** Estimates indexed {@code [metric ordinal][scope]}. */
    Estimate[][] run() {
        int n = candidate.size();
        Estimate[][] out = new Estimate[Metric.values().length][layout.count];
        // row numbers of each scope: all rows, then each column's rows grouped by value
        int[][] rows = new int[layout.columns() + 1][];
        int[][] start = new int[layout.columns() + 1][];
        rows[0] = PairSort.identity(n);
        start[0] = new int[] {0, n};
        for (int c = 0; c < layout.columns(); c++) {
            int k = layout.sizes[c];
            int[] codes = layout.codes[c];
            int[] st = new int[k + 1];
            for (int i = 0; i < n; i++) {
                st[codes[i] + 1]++;
            }
            for (int v = 0; v < k; v++) {
                st[v + 1] += st[v];
            }
            int[] cursor = java.util.Arrays.copyOf(st, k);
            int[] r = new int[n];
            for (int i = 0; i < n; i++) {
                r[cursor[codes[i]]++] = i;
            }
            rows[c + 1] = r;
            start[c + 1] = st;
        }
        int[] scopeColumn = new int[layout.count];
        int[] scopeValue = new int[layout.count];
        for (int c = 0; c < layout.columns(); c++) {
            for (int v = 0; v < layout.sizes[c]; v++) {
                scopeColumn[layout.base[c] + v] = c + 1;
                scopeValue[layout.base[c] + v] = v;
            }
        }
        Parallel.forEach(layout.count, s -> {
            int c = scopeColumn[s];
            int v = scopeValue[s];
            int from = start[c][v];
            int to = start[c][v + 1];
            if (candidate.task() == Task.CLASSIFICATION) {
                classification(s, rows[c], from, to, out);
            } else {
                regression(s, rows[c], from, to, out);
            }
        });
        return out;
    }

    private double value(int scope, Metric m) {
        return values[scope][m.ordinal()];
    }

    // ------------------------------------------------------------------ classification

    /** Per-row quantities of one model on a scope's rows. */
    private static final class Model {
        final boolean[] predicted;
        final double[] logLoss;
        final double[] brier;
        /** Rows ascending by score, {@link PoissonBootstrap#GROUP_START} on each group's first. */
        int[] order;
        /** DeLong's structural component: V10 of a positive row, V01 of a negative one. */
        final double[] component;
        /** Average precision's influence function, per row. */
        final double[] apInfluence;
        double ap;

        Model(int m) {
            predicted = new boolean[m];
            logLoss = new double[m];
            brier = new double[m];
            component = new double[m];
            apInfluence = new double[m];
        }
    }

    private Model model(Predictions p, boolean[] positive, int[] rows, int from, int m) {
        double[] scores = p.scores();
        Model model = new Model(m);
        long[] keys = new long[m];
        for (int k = 0; k < m; k++) {
            double s = scores[rows[from + k]];
            model.predicted[k] = s >= threshold;
            model.logLoss[k] = ClassificationCounts.logLoss(positive[k], s);
            double d = (positive[k] ? 1.0 : 0.0) - s;
            model.brier[k] = d * d;
            keys[k] = RadixSort.key(s);
        }
        model.order = PoissonBootstrap.order(keys, m);
        walk(model, positive, m);
        return model;
    }

    /**
     * One walk up a model's order: per row its DeLong component and its influence on average
     * precision (the formulas of {@link RankWalk}, there summed, here kept per row).
     */
    private static void walk(Model model, boolean[] positive, int m) {
        int[] order = model.order;
        long p = 0;
        for (int k = 0; k < m; k++) {
            p += positive[k] ? 1 : 0;
        }
        long n = m - p;
        if (p == 0 || n == 0) {
            model.ap = Double.NaN;
            java.util.Arrays.fill(model.component, Double.NaN);
            java.util.Arrays.fill(model.apInfluence, Double.NaN);
            return;
        }
        double pi = (double) p / m;
        long posBelow = 0;
        long negBelow = 0;
        double g1 = 0;
        double g2 = 0;
        double[] ap = new double[2]; // compensated sum: value, compensation
        // first pass: AP itself, which the influences need, and per group its y = h + G1 - G2 and G2;
        // second pass: the influences (kept at each group's first position in the order)
        double[] groupY = new double[m];
        double[] groupG2 = new double[m];
        int k = 0;
        while (k < m) {
            int end = k + 1;
            while (end < m && (order[end] & PoissonBootstrap.GROUP_START) == 0) {
                end++;
            }
            long cp = 0;
            long cn = 0;
            for (int j = k; j < end; j++) {
                if (positive[order[j] & ~PoissonBootstrap.GROUP_START]) {
                    cp++;
                } else {
                    cn++;
                }
            }
            double v10 = (negBelow + cn / 2.0) / n;
            double v01 = (p - posBelow - cp + cp / 2.0) / p;
            if (cp > 0) {
                long atLeast = m - posBelow - negBelow;
                double h = (double) (p - posBelow) / atLeast;
                double term = ((double) cp / p) * h;
                Sums.add(ap, 0, term);
                g1 += cp / (double) atLeast;
                g2 += cp * h / atLeast;
                groupY[k] = h + g1 - g2;
            }
            groupG2[k] = g2;
            for (int j = k; j < end; j++) {
                int row = order[j] & ~PoissonBootstrap.GROUP_START;
                model.component[row] = positive[row] ? v10 : v01;
            }
            posBelow += cp;
            negBelow += cn;
            k = end;
        }
        model.ap = ap[0] + ap[1];
        k = 0;
        while (k < m) {
            int end = k + 1;
            while (end < m && (order[end] & PoissonBootstrap.GROUP_START) == 0) {
                end++;
            }
            for (int j = k; j < end; j++) {
                int row = order[j] & ~PoissonBootstrap.GROUP_START;
                model.apInfluence[row] = positive[row] ? (groupY[k] - model.ap) / pi : -groupG2[k] / pi;
            }
            k = end;
        }
    }

    private void classification(int s, int[] rows, int from, int to, Estimate[][] out) {
        int m = to - from;
        double[] labels = candidate.labels();
        boolean[] positive = new boolean[m];
        for (int k = 0; k < m; k++) {
            positive[k] = labels[rows[from + k]] != 0.0;
        }
        Model a = model(candidate, positive, rows, from, m);
        Model b = model(baseline, positive, rows, from, m);
        double z = io.modelgate.common.Normal.z(options.confidence());

        // counts of both models
        long positives = 0;
        long tpA = 0;
        long ppA = 0;
        long tpB = 0;
        long ppB = 0;
        long onlyA = 0; // rows the candidate gets right and the baseline wrong
        long onlyB = 0;
        for (int k = 0; k < m; k++) {
            boolean y = positive[k];
            positives += y ? 1 : 0;
            tpA += y && a.predicted[k] ? 1 : 0;
            ppA += a.predicted[k] ? 1 : 0;
            tpB += y && b.predicted[k] ? 1 : 0;
            ppB += b.predicted[k] ? 1 : 0;
            boolean rightA = a.predicted[k] == y;
            boolean rightB = b.predicted[k] == y;
            onlyA += rightA && !rightB ? 1 : 0;
            onlyB += rightB && !rightA ? 1 : 0;
        }

        // accuracy: difference of paired proportions, (onlyA - onlyB) / m, se from the discordant rows
        double accuracy = value(s, Metric.ACCURACY);
        if (m == 0) {
            out[Metric.ACCURACY.ordinal()][s] = Intervals.undefined(accuracy, 0, "mcnemar");
        } else {
            double d = (double) (onlyA - onlyB) / m;
            double se = Math.sqrt(Math.max(0, (double) (onlyA + onlyB) / m - d * d) / m);
            out[Metric.ACCURACY.ordinal()][s] = Intervals.symmetric(accuracy, m, se, z, -1, 1, "mcnemar");
        }

        // ROC AUC: DeLong's variance of the difference, from the differences of the components
        double auc = value(s, Metric.ROC_AUC);
        long negatives = m - positives;
        if (Double.isNaN(auc) || positives < 2 || negatives < 2) {
            out[Metric.ROC_AUC.ordinal()][s] = Intervals.undefined(auc, m, "paired-delong");
        } else {
            double[] d10 = new double[2];
            double[] d01 = new double[2];
            for (int k = 0; k < m; k++) {
                double d = a.component[k] - b.component[k];
                double[] acc = positive[k] ? d10 : d01;
                acc[0] += d;
                acc[1] += d * d;
            }
            double var10 = Math.max(0, d10[1] - d10[0] * d10[0] / positives) / (positives - 1);
            double var01 = Math.max(0, d01[1] - d01[0] * d01[0] / negatives) / (negatives - 1);
            double se = Math.sqrt(var10 / positives + var01 / negatives);
            out[Metric.ROC_AUC.ordinal()][s] = Intervals.symmetric(auc, m, se, z, -1, 1, "paired-delong")
                    .withDf(Estimate.welch(var10 / positives, (double) (positives - 1), var01 / negatives, (double) (negatives - 1)));
        }

        boolean precisionDefined = ppA > 0 && ppB > 0;
        boolean recallDefined = positives > 0;
        boolean f1Defined = tpA + (ppA - tpA) + (positives - tpA) > 0 && tpB + (ppB - tpB) + (positives - tpB) > 0;
        boolean apDefined = !Double.isNaN(value(s, Metric.AVERAGE_PRECISION));
        Metric[] rest = {Metric.PRECISION, Metric.RECALL, Metric.F1, Metric.AVERAGE_PRECISION, Metric.LOG_LOSS,
            Metric.BRIER_SCORE};
        boolean[] defined = {precisionDefined, recallDefined, f1Defined, apDefined, m > 1, m > 1};
        if (m > 0 && m <= options.bootstrapMaxRows()) {
            double[][] reps = bootstrap(s, positive, a, b, m);
            for (int i = 0; i < rest.length; i++) {
                double v = value(s, rest[i]);
                out[rest[i].ordinal()][s] = defined[i]
                        ? Intervals.percentile(v, m, reps[i], options.replicates(), options.confidence(), "paired-bootstrap")
                        : Intervals.undefined(v, m, "paired-bootstrap");
            }
            return;
        }
        // the delta method: the variance of the per-row differences of the two models' influences
        double[] ss = new double[rest.length];
        double[] sum = new double[rest.length];
        double f1A = PoissonBootstrap.f1(tpA, ppA - tpA, positives - tpA);
        double f1B = PoissonBootstrap.f1(tpB, ppB - tpB, positives - tpB);
        double precisionA = ppA == 0 ? 0 : (double) tpA / ppA;
        double precisionB = ppB == 0 ? 0 : (double) tpB / ppB;
        double recallA = positives == 0 ? 0 : (double) tpA / positives;
        double recallB = positives == 0 ? 0 : (double) tpB / positives;
        double f1DenominatorA = 2.0 * tpA + (ppA - tpA) + (positives - tpA);
        double f1DenominatorB = 2.0 * tpB + (ppB - tpB) + (positives - tpB);
        for (int k = 0; k < m; k++) {
            boolean y = positive[k];
            double[] d = new double[rest.length];
            d[0] = (a.predicted[k] ? ((y ? 1 : 0) - precisionA) * m / ppA : 0)
                    - (b.predicted[k] ? ((y ? 1 : 0) - precisionB) * m / ppB : 0);
            d[1] = y ? (((a.predicted[k] ? 1 : 0) - recallA) - ((b.predicted[k] ? 1 : 0) - recallB)) * m / positives : 0;
            // f1 = 2 TP / (2 TP + E): influence of a row that is a true positive (t) or an error (e)
            d[2] = f1Influence(y && a.predicted[k], y != a.predicted[k], f1A, f1DenominatorA, m)
                    - f1Influence(y && b.predicted[k], y != b.predicted[k], f1B, f1DenominatorB, m);
            d[3] = a.apInfluence[k] - b.apInfluence[k];
            d[4] = a.logLoss[k] - b.logLoss[k];
            d[5] = a.brier[k] - b.brier[k];
            for (int i = 0; i < rest.length; i++) {
                sum[i] += d[i];
                ss[i] += d[i] * d[i];
            }
        }
        for (int i = 0; i < rest.length; i++) {
            double v = value(s, rest[i]);
            if (!defined[i] || Double.isNaN(v)) {
                out[rest[i].ordinal()][s] = Intervals.undefined(v, m, "paired-delta");
            } else if (i >= 4) {
                // means of per-row terms: the t interval of the mean difference
                double se = Math.sqrt(Math.max(0, ss[i] - sum[i] * (sum[i] / m)) / (m - 1) / m);
                out[rest[i].ordinal()][s] = Intervals.symmetric(v, m, se, Intervals.t(options.confidence(), m - 1),
                        Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "paired-delta");
            } else {
                out[rest[i].ordinal()][s] = Intervals.symmetric(v, m, Math.sqrt(ss[i]) / m, z, -1, 1, "paired-delta");
            }
        }
    }

    /**
     * The influence of one row on {@code f1 = 2 TP / (2 TP + E)}: with the row shares a (true
     * positives) and b (errors), {@code (2 b a_i - 2 a b_i) / (2a + b)^2}, written with counts.
     */
    private static double f1Influence(boolean truePositive, boolean error, double f1, double denominator, int m) {
        if (denominator == 0) {
            return 0;
        }
        // the same as (2 a_i - f1 (2 a_i + b_i)) / (2a + b), as f1 = 2a / (2a + b)
        double share = denominator / m;
        return ((truePositive ? 2.0 : 0.0) - f1 * ((truePositive ? 2.0 : 0.0) + (error ? 1.0 : 0.0))) / share;
    }

    /** Paired replicates of the differences of precision, recall, f1, AP, log loss and Brier score. */
    private double[][] bootstrap(int s, boolean[] positive, Model a, Model b, int m) {
        double[][] reps = new double[6][options.replicates()];
        // columns: positive, then per model: true positive, predicted positive, log loss, Brier term
        double[][] columns = new double[9][m];
        for (int k = 0; k < m; k++) {
            boolean y = positive[k];
            columns[0][k] = y ? 1 : 0;
            columns[1][k] = y && a.predicted[k] ? 1 : 0;
            columns[2][k] = a.predicted[k] ? 1 : 0;
            columns[3][k] = y && b.predicted[k] ? 1 : 0;
            columns[4][k] = b.predicted[k] ? 1 : 0;
            columns[5][k] = a.logLoss[k];
            columns[6][k] = b.logLoss[k];
            columns[7][k] = a.brier[k];
            columns[8][k] = b.brier[k];
        }
        int[] weight = new int[m];
        PoissonBootstrap.weightedSums(columns, m, options.weights(s), options.replicates(), weight, (r, total, sum) -> {
            long pos = (long) sum[0];
            long tpA = (long) sum[1];
            long ppA = (long) sum[2];
            long tpB = (long) sum[3];
            long ppB = (long) sum[4];
            reps[0][r] = ppA == 0 || ppB == 0 ? Double.NaN : (double) tpA / ppA - (double) tpB / ppB;
            reps[1][r] = pos == 0 ? Double.NaN : (double) (tpA - tpB) / pos;
            reps[2][r] = PoissonBootstrap.f1(tpA, ppA - tpA, pos - tpA) - PoissonBootstrap.f1(tpB, ppB - tpB, pos - tpB);
            reps[3][r] = PoissonBootstrap.averagePrecision(positive, a.order, m, weight)
                    - PoissonBootstrap.averagePrecision(positive, b.order, m, weight);
            reps[4][r] = total == 0 ? Double.NaN : (sum[5] - sum[6]) / total;
            reps[5][r] = total == 0 ? Double.NaN : (sum[7] - sum[8]) / total;
        });
        return reps;
    }

    // ------------------------------------------------------------------ regression

    private void regression(int s, int[] rows, int from, int to, Estimate[][] out) {
        int m = to - from;
        double[] labels = candidate.labels();
        double[] fa = candidate.scores();
        double[] fb = baseline.scores();
        double mean = 0;
        for (int k = 0; k < m; k++) {
            mean += labels[rows[from + k]];
        }
        mean = m == 0 ? Double.NaN : mean / m;
        double[] centered = new double[m];
        double[] sqA = new double[m];
        double[] sqB = new double[m];
        double[] absA = new double[m];
        double[] absB = new double[m];
        double sst = 0;
        double sseA = 0;
        double sseB = 0;
        for (int k = 0; k < m; k++) {
            int i = rows[from + k];
            double y = labels[i];
            double ea = y - fa[i];
            double eb = y - fb[i];
            centered[k] = y - mean;
            sqA[k] = ea * ea;
            sqB[k] = eb * eb;
            absA[k] = Math.abs(ea);
            absB[k] = Math.abs(eb);
            sst += centered[k] * centered[k];
            sseA += sqA[k];
            sseB += sqB[k];
        }
        Metric[] metrics = {Metric.RMSE, Metric.MAE, Metric.R2};
        if (m > 1 && m <= options.bootstrapMaxRows()) {
            double[][] reps = new double[3][options.replicates()];
            double[] centeredSquares = new double[m];
            for (int k = 0; k < m; k++) {
                centeredSquares[k] = centered[k] * centered[k];
            }
            double[][] columns = {centered, centeredSquares, sqA, sqB, absA, absB};
            PoissonBootstrap.weightedSums(columns, m, options.weights(s), options.replicates(), null, (r, total, sum) -> {
                double ssTot = total == 0 ? 0 : sum[1] - sum[0] * sum[0] / total;
                reps[0][r] = total == 0 ? Double.NaN : Math.sqrt(sum[2] / total) - Math.sqrt(sum[3] / total);
                reps[1][r] = total == 0 ? Double.NaN : (sum[4] - sum[5]) / total;
                reps[2][r] = ssTot > 0 ? (sum[3] - sum[2]) / ssTot : Double.NaN;
            });
            for (int i = 0; i < 3; i++) {
                out[metrics[i].ordinal()][s] = Intervals.percentile(value(s, metrics[i]), m, reps[i], options.replicates(), options.confidence(),
                        "paired-bootstrap");
            }
            return;
        }
        if (m < 2) {
            for (Metric metric : metrics) {
                out[metric.ordinal()][s] = Intervals.undefined(value(s, metric), m,
                        m <= options.bootstrapMaxRows() ? "paired-bootstrap" : "paired-delta");
            }
            return;
        }
        double mseA = sseA / m;
        double mseB = sseB / m;
        double rmseA = Math.sqrt(mseA);
        double rmseB = Math.sqrt(mseB);
        double maeA = 0;
        double maeB = 0;
        for (int k = 0; k < m; k++) {
            maeA += absA[k];
            maeB += absB[k];
        }
        maeA /= m;
        maeB /= m;
        double v = sst / m;
        double[] sum = new double[3];
        double[] ss = new double[3];
        for (int k = 0; k < m; k++) {
            double t = centered[k] * centered[k] - v;
            double[] d = {
                (rmseA > 0 ? (sqA[k] - mseA) / (2 * rmseA) : 0) - (rmseB > 0 ? (sqB[k] - mseB) / (2 * rmseB) : 0),
                (absA[k] - maeA) - (absB[k] - maeB),
                // R^2 = 1 - MSE / V: influence -(u - r t) / V with u = e^2 - MSE, r = MSE / V
                v > 0 ? (-((sqA[k] - mseA) - mseA / v * t) + ((sqB[k] - mseB) - mseB / v * t)) / v : 0,
            };
            for (int i = 0; i < 3; i++) {
                sum[i] += d[i];
                ss[i] += d[i] * d[i];
            }
        }
        double q = Intervals.t(options.confidence(), m - 1);
        double z = io.modelgate.common.Normal.z(options.confidence());
        for (int i = 0; i < 3; i++) {
            double value = value(s, metrics[i]);
            double se = i == 2 ? (v > 0 ? Math.sqrt(ss[i]) / m : Double.NaN)
                    : Math.sqrt(Math.max(0, ss[i] - sum[i] * (sum[i] / m)) / (m - 1) / m);
            out[metrics[i].ordinal()][s] = Intervals.symmetric(value, m, se, i == 2 ? z : q,
                    Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "paired-delta");
        }
    }
}
