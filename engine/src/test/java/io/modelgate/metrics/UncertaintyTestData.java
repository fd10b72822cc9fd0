package io.modelgate.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random predictions and straightforward reference computations for the tests of {@link Uncertainty}.
 * The references are written for clarity, not speed: one sum per definition, nothing shared with
 * the engine's code.
 */
final class UncertaintyTestData {
    private UncertaintyTestData() {
    }

    /**
     * A classifier's predictions on {@code n} rows: labels with P(1) = {@code prevalence}, scores a
     * logistic of a binormal (separation {@code d}) rounded to {@code decimals} places so that there
     * are ties, and one slice column "g" per entry of {@code sliceValues} (codes drawn uniformly,
     * except that the last value of each column is drawn for no row, so an empty slice is present).
     */
    static Predictions classification(long seed, int n, double prevalence, double d, int decimals, int... sliceValues) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] y = new double[n];
        double[] s = new double[n];
        double scale = Math.pow(10, decimals);
        for (int i = 0; i < n; i++) {
            y[i] = random.nextDouble() < prevalence ? 1 : 0;
            double x = gaussian(random) + (y[i] == 1 ? d : 0);
            s[i] = Math.round(scale / (1 + Math.exp(-(x - d / 2)))) / scale;
        }
        return new Predictions(Task.CLASSIFICATION, y, s, slices(random, n, sliceValues));
    }

    /** A regression on {@code n} rows: label {@code 3 x + noise}, prediction {@code 3 x}, with slices as above. */
    static Predictions regression(long seed, int n, double noise, int... sliceValues) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] y = new double[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            double x = gaussian(random);
            s[i] = 3 * x;
            y[i] = s[i] + noise * gaussian(random);
        }
        return new Predictions(Task.REGRESSION, y, s, slices(random, n, sliceValues));
    }

    private static List<Predictions.SliceColumn> slices(SplittableRandom random, int n, int... sliceValues) {
        List<Predictions.SliceColumn> columns = new ArrayList<>();
        for (int c = 0; c < sliceValues.length; c++) {
            int k = sliceValues[c];
            List<String> values = new ArrayList<>();
            for (int v = 0; v < k; v++) {
                values.add("v" + v);
            }
            int[] codes = new int[n];
            for (int i = 0; i < n; i++) {
                // skewed, so that scopes of very different sizes occur; value k - 1 stays empty
                codes[i] = k == 1 ? 0 : Math.min(k - 2, (int) Math.floor(-Math.log(random.nextDouble()) * (k - 1) / 3));
            }
            columns.add(new Predictions.SliceColumn("g" + c, values, codes));
        }
        return columns;
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller; the test data must not depend on java.util.Random's hidden state
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** The rows of a scope (overall or a slice key) as their own predictions, without slices. */
    static Predictions scope(Predictions p, String scope) {
        if (Slices.OVERALL.equals(scope)) {
            return new Predictions(p.task(), p.labels(), p.scores(), List.of());
        }
        String column = Slices.column(scope);
        String value = scope.substring(column.length() + 1);
        for (Predictions.SliceColumn c : p.slices()) {
            if (c.name().equals(column)) {
                int code = c.values().indexOf(value);
                int m = 0;
                for (int i = 0; i < p.size(); i++) {
                    m += c.codes()[i] == code ? 1 : 0;
                }
                double[] y = new double[m];
                double[] s = new double[m];
                int k = 0;
                for (int i = 0; i < p.size(); i++) {
                    if (c.codes()[i] == code) {
                        y[k] = p.labels()[i];
                        s[k++] = p.scores()[i];
                    }
                }
                return new Predictions(p.task(), y, s, List.of());
            }
        }
        throw new IllegalArgumentException("no scope " + scope);
    }

    // ------------------------------------------------------------------ references

    /** 1 when the positive's score is above the negative's, 1/2 on a tie, else 0: DeLong's psi. */
    static double psi(double positive, double negative) {
        return positive > negative ? 1 : (positive == negative ? 0.5 : 0);
    }

    /**
     * DeLong, DeLong and Clarke-Pearson (1988) by their definitions, in O(P N): the structural
     * components {@code V10(X_i) = mean_j psi(X_i, Y_j)} of each positive and
     * {@code V01(Y_j) = mean_i psi(X_i, Y_j)} of each negative, {@code AUC = mean V10}, and
     * {@code var = S10 / P + S01 / N} with the sample variances S10, S01 (divisor P - 1, N - 1).
     * Returns {auc, variance}.
     */
    static double[] delong(double[] y, double[] s) {
        double[][] v = components(y, s);
        double[] v10 = v[0];
        double[] v01 = v[1];
        double auc = mean(v10);
        return new double[] {auc, sampleVariance(v10, auc) / v10.length + sampleVariance(v01, auc) / v01.length};
    }

    /** {V10 of each positive, V01 of each negative}, in row order. */
    static double[][] components(double[] y, double[] s) {
        List<Double> pos = new ArrayList<>();
        List<Double> neg = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            (y[i] == 1 ? pos : neg).add(s[i]);
        }
        double[] v10 = new double[pos.size()];
        double[] v01 = new double[neg.size()];
        for (int i = 0; i < pos.size(); i++) {
            for (int j = 0; j < neg.size(); j++) {
                double k = psi(pos.get(i), neg.get(j));
                v10[i] += k / neg.size();
                v01[j] += k / pos.size();
            }
        }
        return new double[][] {v10, v01};
    }

    static double mean(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        return sum / x.length;
    }

    static double sampleVariance(double[] x, double mean) {
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return ss / (x.length - 1);
    }

    /**
     * Average precision with row weights, as scikit-learn defines it: the sum over distinct
     * thresholds t from the highest down of {@code (R(t) - R(prev)) * P(t)}, precision and recall
     * counting rows with score >= t, each row counted with its weight. O(n^2).
     */
    static double weightedAveragePrecision(double[] y, double[] s, double[] w) {
        double[] thresholds = java.util.Arrays.stream(s).distinct().sorted().toArray();
        double positives = 0;
        for (int i = 0; i < y.length; i++) {
            positives += y[i] == 1 ? w[i] : 0;
        }
        double ap = 0;
        double previousRecall = 0;
        for (int t = thresholds.length - 1; t >= 0; t--) {
            double tp = 0;
            double pp = 0;
            for (int i = 0; i < y.length; i++) {
                if (s[i] >= thresholds[t]) {
                    pp += w[i];
                    tp += y[i] == 1 ? w[i] : 0;
                }
            }
            double recall = tp / positives;
            if (pp > 0) {
                ap += (recall - previousRecall) * (tp / pp);
            }
            previousRecall = recall;
        }
        return ap;
    }

    /** A statistic of weighted rows (the weights need not sum to anything in particular). */
    interface WeightedStatistic {
        double at(double[] weights);
    }

    /**
     * The delta method's variance of a statistic that is a functional of the rows' empirical
     * distribution, by numerical differentiation: with all weights 1, raising row i's weight by h
     * moves the distribution by {@code h / (n + h)} towards row i, so its influence is
     * {@code IF_i = n dT/dw_i} and {@code var = sum IF_i^2 / n^2 = sum (dT/dw_i)^2}. Central
     * differences with step {@code h}.
     */
    static double deltaVariance(int n, WeightedStatistic statistic, double h) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = 1 + h;
            double up = statistic.at(w);
            w[i] = 1 - h;
            double down = statistic.at(w);
            w[i] = 1;
            double derivative = (up - down) / (2 * h);
            sum += derivative * derivative;
        }
        return sum;
    }
}
