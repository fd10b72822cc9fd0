package io.modelgate.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes metrics from predictions, overall and per slice.
 *
 * <p>Every scope (all examples, and each value of each slice column) gets {@code example_count}
 * and the metrics of the task; see {@code docs/metrics.md} for definitions and edge cases.
 * Undefined values are NaN, never exceptions. Work is done on primitive arrays in a few passes:
 * one pass accumulates counts and sums for all scopes at once, then the scores are bucketed by
 * (slice, label), each bucket sorted once, and the overall sorted runs obtained by merging.
 */
public final class MetricsCalculator {
    private MetricsCalculator() {
    }

    /**
     * @param predictions       what to compute metrics of
     * @param decisionThreshold a classifier predicts class 1 when {@code score >= decisionThreshold}
     *                          (used for accuracy, precision, recall and f1; ignored for regression)
     */
    public static MetricSet compute(Predictions predictions, double decisionThreshold) {
        if (Double.isNaN(decisionThreshold)) {
            throw new MetricsException("decision threshold is not a number; set it with --threshold");
        }
        ScopeLayout layout = new ScopeLayout(predictions.slices());
        double[][] values = predictions.task() == Task.CLASSIFICATION
                ? classification(predictions, layout, decisionThreshold)
                : regression(predictions, layout);
        List<Metric> metrics = Arrays.stream(Metric.values()).filter(m -> m.appliesTo(predictions.task())).toList();
        Map<String, Double> overall = scopeMap(metrics, values, 0);
        Map<String, Map<String, Double>> slices = new LinkedHashMap<>();
        List<Predictions.SliceColumn> columns = predictions.slices();
        for (int c = 0; c < columns.size(); c++) {
            Predictions.SliceColumn column = columns.get(c);
            for (int v = 0; v < column.values().size(); v++) {
                slices.put(Slices.key(column.name(), column.values().get(v)), scopeMap(metrics, values, layout.base[c] + v));
            }
        }
        return new MetricSet(overall, slices);
    }

    // The values table has one row per metric, indexed by its ordinal (dense, unboxed, and computed
    // in one pass); the table never leaves this class, so reordering Metric cannot misread it.
    @SuppressWarnings("EnumOrdinal")
    private static Map<String, Double> scopeMap(List<Metric> metrics, double[][] values, int scope) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (Metric m : metrics) {
            map.put(m.id(), values[m.ordinal()][scope]);
        }
        return map;
    }

    // ------------------------------------------------------------------ classification

    // Rows of the values table by ordinal: see scopeMap.
    @SuppressWarnings("EnumOrdinal")
    private static double[][] classification(Predictions p, ScopeLayout layout, double threshold) {
        ClassificationCounts acc = ClassificationCounts.of(p, layout, threshold);
        double[][] values = new double[Metric.values().length][layout.count];
        for (int s = 0; s < layout.count; s++) {
            values[Metric.EXAMPLE_COUNT.ordinal()][s] = acc.count[s];
            values[Metric.ACCURACY.ordinal()][s] = acc.accuracy(s);
            values[Metric.PRECISION.ordinal()][s] = acc.precision(s);
            values[Metric.RECALL.ordinal()][s] = acc.recall(s);
            values[Metric.F1.ordinal()][s] = acc.f1(s);
            values[Metric.LOG_LOSS.ordinal()][s] = acc.meanLogLoss(s);
            values[Metric.BRIER_SCORE.ordinal()][s] = acc.meanBrier(s);
        }
        double[] auc = values[Metric.ROC_AUC.ordinal()];
        double[] ap = values[Metric.AVERAGE_PRECISION.ordinal()];
        Arrays.fill(auc, Double.NaN);
        Arrays.fill(ap, Double.NaN);
        // the walk that yields the estimates' variances too: the same terms in the same order, so an
        // estimate reports this very value (the variances cost a few flops per group of tied scores)
        ScoreOrder.visit(p, layout, acc, (scope, pos, pf, pt, neg, nf, nt) -> {
            double[] r = new double[RankWalk.SLOTS];
            RankWalk.walk(pos, pf, pt, neg, nf, nt, r);
            auc[scope] = r[RankWalk.AUC];
            ap[scope] = r[RankWalk.AP];
        });
        return values;
    }

    // ------------------------------------------------------------------ regression

    // Rows of the values table by ordinal: see scopeMap.
    @SuppressWarnings("EnumOrdinal")
    private static double[][] regression(Predictions p, ScopeLayout layout) {
        RegressionMoments m = RegressionMoments.of(p, layout);
        double[][] values = new double[Metric.values().length][layout.count];
        for (int s = 0; s < layout.count; s++) {
            long cnt = m.count[s];
            values[Metric.EXAMPLE_COUNT.ordinal()][s] = cnt;
            values[Metric.RMSE.ordinal()][s] = cnt == 0 ? Double.NaN : Math.sqrt(m.mse[s]);
            values[Metric.MAE.ordinal()][s] = m.mae[s];
            values[Metric.R2.ordinal()][s] = cnt == 0 || m.ssTot[s] == 0.0 ? Double.NaN : 1.0 - m.sse[s] / m.ssTot[s];
        }
        return values;
    }
}
