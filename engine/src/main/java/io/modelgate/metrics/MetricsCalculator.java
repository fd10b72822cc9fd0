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
    /** Probabilities are clipped to [EPS, 1 - EPS] for log loss, as scikit-learn does for float64. */
    static final double EPS = Math.ulp(1.0);
    private static final double ONE_MINUS_EPS = 1.0 - EPS;
    private static final int MIN_ROWS_PER_THREAD = 200_000;

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
        Scopes scopes = new Scopes(predictions.slices());
        double[][] values = predictions.task() == Task.CLASSIFICATION
                ? classification(predictions, scopes, decisionThreshold)
                : regression(predictions, scopes);
        List<Metric> metrics = Arrays.stream(Metric.values()).filter(m -> m.appliesTo(predictions.task())).toList();
        Map<String, Double> overall = scopeMap(metrics, values, 0);
        Map<String, Map<String, Double>> slices = new LinkedHashMap<>();
        List<Predictions.SliceColumn> columns = predictions.slices();
        for (int c = 0; c < columns.size(); c++) {
            Predictions.SliceColumn column = columns.get(c);
            for (int v = 0; v < column.values().size(); v++) {
                slices.put(Slices.key(column.name(), column.values().get(v)), scopeMap(metrics, values, scopes.base[c] + v));
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

    /** Scope 0 is all examples; scope {@code base[c] + v} is value {@code v} of slice column {@code c}. */
    private static final class Scopes {
        final int count;
        final int[] base;
        final int[][] codes;

        Scopes(List<Predictions.SliceColumn> columns) {
            base = new int[columns.size()];
            codes = new int[columns.size()][];
            int s = 1;
            for (int c = 0; c < columns.size(); c++) {
                base[c] = s;
                codes[c] = columns.get(c).codes();
                s += columns.get(c).values().size();
            }
            count = s;
        }
    }

    private static int threadsFor(int n) {
        return Math.max(1, Math.min(Parallel.threads(), n / MIN_ROWS_PER_THREAD));
    }

    // ------------------------------------------------------------------ classification

    /** Per-scope counts and (compensated) sums over a range of rows. */
    private static final class ClassAcc {
        final long[] count;
        final long[] positives;
        final long[] truePositives;
        final long[] predictedPositives;
        final long[] correct;
        final double[] logLoss;
        final double[] logLossC;
        final double[] brier;
        final double[] brierC;

        ClassAcc(int scopes) {
            count = new long[scopes];
            positives = new long[scopes];
            truePositives = new long[scopes];
            predictedPositives = new long[scopes];
            correct = new long[scopes];
            logLoss = new double[scopes];
            logLossC = new double[scopes];
            brier = new double[scopes];
            brierC = new double[scopes];
        }

        void add(int s, boolean positive, boolean predicted, double ll, double br) {
            count[s]++;
            if (positive) {
                positives[s]++;
                if (predicted) {
                    truePositives[s]++;
                    correct[s]++;
                }
            } else if (!predicted) {
                correct[s]++;
            }
            if (predicted) {
                predictedPositives[s]++;
            }
            double t = logLoss[s] + ll;
            logLossC[s] += Math.abs(logLoss[s]) >= Math.abs(ll) ? (logLoss[s] - t) + ll : (ll - t) + logLoss[s];
            logLoss[s] = t;
            double u = brier[s] + br;
            brierC[s] += Math.abs(brier[s]) >= Math.abs(br) ? (brier[s] - u) + br : (br - u) + brier[s];
            brier[s] = u;
        }

        void addAll(ClassAcc o) {
            for (int s = 0; s < count.length; s++) {
                count[s] += o.count[s];
                positives[s] += o.positives[s];
                truePositives[s] += o.truePositives[s];
                predictedPositives[s] += o.predictedPositives[s];
                correct[s] += o.correct[s];
                double[] ll = twoSum(logLoss[s], o.logLoss[s]);
                logLoss[s] = ll[0];
                logLossC[s] += ll[1] + o.logLossC[s];
                double[] br = twoSum(brier[s], o.brier[s]);
                brier[s] = br[0];
                brierC[s] += br[1] + o.brierC[s];
            }
        }
    }

    private static double[] twoSum(double a, double b) {
        double t = a + b;
        double e = Math.abs(a) >= Math.abs(b) ? (a - t) + b : (b - t) + a;
        return new double[] {t, e};
    }

    // Rows of the values table by ordinal: see scopeMap.
    @SuppressWarnings("EnumOrdinal")
    private static double[][] classification(Predictions p, Scopes scopes, double threshold) {
        double[] labels = p.labels();
        double[] scores = p.scores();
        int n = p.size();
        // fixed blocks of rows, their sums added in block order: the values do not depend on the
        // number of threads, and are the ones Uncertainty's estimates report (same sums, same order)
        int blocks = ScopeLayout.blocks(n);
        ClassAcc[] parts = new ClassAcc[blocks];
        Parallel.forEach(blocks, b -> {
            ClassAcc acc = new ClassAcc(scopes.count);
            int from = ScopeLayout.blockStart(n, b);
            int to = ScopeLayout.blockStart(n, b + 1);
            int columns = scopes.base.length;
            int[] base = scopes.base;
            int[][] codes = scopes.codes;
            for (int i = from; i < to; i++) {
                double y = labels[i];
                double s = scores[i];
                boolean positive = y != 0.0;
                boolean predicted = s >= threshold;
                double q = s < EPS ? EPS : (s > ONE_MINUS_EPS ? ONE_MINUS_EPS : s);
                double ll = -Math.log(positive ? q : 1.0 - q);
                double d = y - s;
                double br = d * d;
                acc.add(0, positive, predicted, ll, br);
                for (int c = 0; c < columns; c++) {
                    acc.add(base[c] + codes[c][i], positive, predicted, ll, br);
                }
            }
            parts[b] = acc;
        });
        ClassAcc acc = parts[0];
        for (int b = 1; b < blocks; b++) {
            acc.addAll(parts[b]);
        }

        double[][] values = new double[Metric.values().length][scopes.count];
        for (int s = 0; s < scopes.count; s++) {
            long cnt = acc.count[s];
            long pos = acc.positives[s];
            long tp = acc.truePositives[s];
            long predPos = acc.predictedPositives[s];
            long fp = predPos - tp;
            long fn = pos - tp;
            values[Metric.EXAMPLE_COUNT.ordinal()][s] = cnt;
            values[Metric.ACCURACY.ordinal()][s] = cnt == 0 ? Double.NaN : (double) acc.correct[s] / cnt;
            // Undefined is not zero: precision with nothing predicted positive, recall with no positive
            // example and f1 with neither rest on no rows (scikit-learn's zero_division=np.nan).
            values[Metric.PRECISION.ordinal()][s] = predPos == 0 ? Double.NaN : (double) tp / predPos;
            values[Metric.RECALL.ordinal()][s] = pos == 0 ? Double.NaN : (double) tp / pos;
            long f1Denominator = 2 * tp + fp + fn;
            values[Metric.F1.ordinal()][s] = f1Denominator == 0 ? Double.NaN : 2.0 * tp / f1Denominator;
            values[Metric.LOG_LOSS.ordinal()][s] = cnt == 0 ? Double.NaN : (acc.logLoss[s] + acc.logLossC[s]) / cnt;
            values[Metric.BRIER_SCORE.ordinal()][s] = cnt == 0 ? Double.NaN : (acc.brier[s] + acc.brierC[s]) / cnt;
        }
        rankMetrics(p, scopes, acc, values[Metric.ROC_AUC.ordinal()], values[Metric.AVERAGE_PRECISION.ordinal()]);
        return values;
    }

    /**
     * ROC AUC and average precision for all scopes, from sort keys of the scores
     * ({@link RadixSort#key}). Per slice column: the keys are placed in buckets by (value, label)
     * and each bucket radix-sorted once; the overall sorted negatives and positives are merged from
     * the first column's buckets (without slice columns: from one sorted run per thread). Two
     * arrays of {@code n} longs in all, reused for every column.
     */
    private static void rankMetrics(Predictions p, Scopes scopes, ClassAcc acc, double[] auc, double[] ap) {
        int n = p.size();
        Arrays.fill(auc, Double.NaN);
        Arrays.fill(ap, Double.NaN);
        if (n == 0) {
            return;
        }
        double[] labels = p.labels();
        double[] scores = p.scores();
        long[] keys = new long[n];
        long[] tmp = new long[n];

        if (scopes.base.length == 0) {
            overallFromRowRanges(labels, scores, keys, tmp, auc, ap);
        }
        // per slice column
        for (int c = 0; c < scopes.base.length; c++) {
            int k = p.slices().get(c).values().size();
            int base = scopes.base[c];
            int[] bucketStart = new int[2 * k + 1];
            int o = 0;
            for (int v = 0; v < k; v++) {
                long count = acc.count[base + v];
                long positives = acc.positives[base + v];
                bucketStart[2 * v] = o;
                o += (int) (count - positives);
                bucketStart[2 * v + 1] = o;
                o += (int) positives;
            }
            bucketStart[2 * k] = o;
            int[] cursor = Arrays.copyOf(bucketStart, 2 * k);
            int[] codes = scopes.codes[c];
            for (int i = 0; i < n; i++) {
                int b = 2 * codes[i] + (labels[i] != 0.0 ? 1 : 0);
                keys[cursor[b]++] = RadixSort.key(scores[i]);
            }
            sortBuckets(keys, tmp, bucketStart);
            int threads = Math.min(k, Parallel.threads());
            Parallel.forEach(threads, t -> {
                double[] r = new double[2];
                for (int v = t; v < k; v += threads) {
                    Ranking.rank(keys, bucketStart[2 * v + 1], bucketStart[2 * v + 2],
                            keys, bucketStart[2 * v], bucketStart[2 * v + 1], r);
                    auc[base + v] = r[0];
                    ap[base + v] = r[1];
                }
            });
            if (c == 0) {
                // overall: merge this column's sorted buckets; tmp is free again
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
                rankMerged(keys, tmp, negLo, negHi, posLo, posHi, negatives, n, auc, ap);
            }
        }
    }

    /** Overall ROC AUC and AP when there are no slice columns: one sorted run per thread, merged. */
    private static void overallFromRowRanges(double[] labels, double[] scores, long[] keys, long[] tmp,
                                             double[] auc, double[] ap) {
        int n = labels.length;
        int runs = threadsFor(n);
        int[] start = new int[2 * runs + 1];
        Parallel.forEach(runs, r -> {
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
        });
        start[2 * runs] = n;
        sortBuckets(keys, tmp, start);
        int[] negLo = new int[runs];
        int[] negHi = new int[runs];
        int[] posLo = new int[runs];
        int[] posHi = new int[runs];
        int negatives = 0;
        for (int r = 0; r < runs; r++) {
            negLo[r] = start[2 * r];
            negHi[r] = start[2 * r + 1];
            posLo[r] = start[2 * r + 1];
            posHi[r] = start[2 * r + 2];
            negatives += negHi[r] - negLo[r];
        }
        rankMerged(keys, tmp, negLo, negHi, posLo, posHi, negatives, n, auc, ap);
    }

    /** Merges the sorted negative and positive runs of {@code keys} into {@code tmp} and ranks scope 0. */
    private static void rankMerged(long[] keys, long[] tmp, int[] negLo, int[] negHi, int[] posLo, int[] posHi,
                                   int negatives, int n, double[] auc, double[] ap) {
        int parts = Parallel.threads();
        Ranking.mergeParallel(keys, negLo, negHi, tmp, 0, parts);
        Ranking.mergeParallel(keys, posLo, posHi, tmp, negatives, parts);
        double[] out = new double[2];
        Ranking.rank(tmp, negatives, n, tmp, 0, negatives, out);
        auc[0] = out[0];
        ap[0] = out[1];
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

    // ------------------------------------------------------------------ regression

    // Rows of the values table by ordinal: see scopeMap.
    @SuppressWarnings("EnumOrdinal")
    private static double[][] regression(Predictions p, Scopes scopes) {
        double[] labels = p.labels();
        double[] scores = p.scores();
        int n = p.size();
        // fixed blocks of rows, as for classification
        int blocks = ScopeLayout.blocks(n);
        int sc = scopes.count;
        int columns = scopes.base.length;
        // [block][scope]: count, and compensated sums of y, |e|, e^2 (value, compensation pairs)
        long[][] counts = new long[blocks][sc];
        double[][][] sums = new double[blocks][6][sc];
        Parallel.forEach(blocks, t -> {
            long[] count = counts[t];
            double[][] s = sums[t];
            int from = ScopeLayout.blockStart(n, t);
            int to = ScopeLayout.blockStart(n, t + 1);
            for (int i = from; i < to; i++) {
                double y = labels[i];
                double e = y - scores[i];
                double ae = Math.abs(e);
                double se = e * e;
                count[0]++;
                add(s, 0, 0, y);
                add(s, 2, 0, ae);
                add(s, 4, 0, se);
                for (int c = 0; c < columns; c++) {
                    int scope = scopes.base[c] + scopes.codes[c][i];
                    count[scope]++;
                    add(s, 0, scope, y);
                    add(s, 2, scope, ae);
                    add(s, 4, scope, se);
                }
            }
        });
        long[] count = new long[sc];
        double[] sumY = new double[sc];
        double[] sumAbs = new double[sc];
        double[] sumSq = new double[sc];
        for (int s = 0; s < sc; s++) {
            double[] y = {0, 0};
            double[] a = {0, 0};
            double[] q = {0, 0};
            for (int t = 0; t < blocks; t++) {
                count[s] += counts[t][s];
                combine(y, sums[t][0][s], sums[t][1][s]);
                combine(a, sums[t][2][s], sums[t][3][s]);
                combine(q, sums[t][4][s], sums[t][5][s]);
            }
            sumY[s] = y[0] + y[1];
            sumAbs[s] = a[0] + a[1];
            sumSq[s] = q[0] + q[1];
        }
        double[] mean = new double[sc];
        for (int s = 0; s < sc; s++) {
            mean[s] = count[s] == 0 ? Double.NaN : sumY[s] / count[s];
        }
        double[][] tot = new double[blocks][2 * sc];
        Parallel.forEach(blocks, t -> {
            int from = ScopeLayout.blockStart(n, t);
            int to = ScopeLayout.blockStart(n, t + 1);
            for (int i = from; i < to; i++) {
                double y = labels[i];
                double d = y - mean[0];
                addPair(tot[t], 0, d * d);
                for (int c = 0; c < columns; c++) {
                    int scope = scopes.base[c] + scopes.codes[c][i];
                    double ds = y - mean[scope];
                    addPair(tot[t], scope, ds * ds);
                }
            }
        });
        double[][] values = new double[Metric.values().length][sc];
        for (int s = 0; s < sc; s++) {
            double[] ss = {0, 0};
            for (int t = 0; t < blocks; t++) {
                combine(ss, tot[t][2 * s], tot[t][2 * s + 1]);
            }
            double ssTot = ss[0] + ss[1];
            long cnt = count[s];
            values[Metric.EXAMPLE_COUNT.ordinal()][s] = cnt;
            values[Metric.RMSE.ordinal()][s] = cnt == 0 ? Double.NaN : Math.sqrt(sumSq[s] / cnt);
            values[Metric.MAE.ordinal()][s] = cnt == 0 ? Double.NaN : sumAbs[s] / cnt;
            values[Metric.R2.ordinal()][s] = cnt == 0 || ssTot == 0.0 ? Double.NaN : 1.0 - sumSq[s] / ssTot;
        }
        return values;
    }

    /** Neumaier-adds {@code x} to the sum {@code s[k][scope]} with compensation {@code s[k + 1][scope]}. */
    private static void add(double[][] s, int k, int scope, double x) {
        double sum = s[k][scope];
        double t = sum + x;
        s[k + 1][scope] += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
        s[k][scope] = t;
    }

    /** Neumaier-adds {@code x} to {@code a[2 * scope]} with compensation in {@code a[2 * scope + 1]}. */
    private static void addPair(double[] a, int scope, double x) {
        double sum = a[2 * scope];
        double t = sum + x;
        a[2 * scope + 1] += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
        a[2 * scope] = t;
    }

    /** Adds a compensated partial sum (value, compensation) into {@code acc = {value, compensation}}. */
    private static void combine(double[] acc, double value, double compensation) {
        double t = acc[0] + value;
        double e = Math.abs(acc[0]) >= Math.abs(value) ? (acc[0] - t) + value : (value - t) + acc[0];
        acc[0] = t;
        acc[1] += e + compensation;
    }
}
