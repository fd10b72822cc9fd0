package io.modelgate.metrics;

/**
 * A classifier's counts and sums in every scope, from one pass over the rows: what the metrics are
 * computed from ({@link MetricsCalculator}) and what their estimates are computed from
 * ({@link ClassificationEstimates}), so that an estimate reports the metric's value bit for bit.
 *
 * <p>Sums are taken per fixed block of rows ({@link ScopeLayout#BLOCK}) and the blocks added in
 * order, compensated: the values do not depend on the number of threads.
 */
final class ClassificationCounts {
    /** Probabilities are clipped to [EPS, 1 - EPS] for log loss, as scikit-learn does for float64. */
    static final double EPS = Math.ulp(1.0);
    private static final double ONE_MINUS_EPS = 1.0 - EPS;

    final long[] count;
    final long[] positives;
    final long[] truePositives;
    final long[] predictedPositives;
    final long[] correct;
    /** Sums of the rows' log loss and Brier terms, and plain sums of their squares. */
    final double[] logLoss;
    final double[] logLossSquares;
    final double[] brier;
    final double[] brierSquares;

    private ClassificationCounts(int scopes) {
        count = new long[scopes];
        positives = new long[scopes];
        truePositives = new long[scopes];
        predictedPositives = new long[scopes];
        correct = new long[scopes];
        logLoss = new double[scopes];
        logLossSquares = new double[scopes];
        brier = new double[scopes];
        brierSquares = new double[scopes];
    }

    long falsePositives(int s) {
        return predictedPositives[s] - truePositives[s];
    }

    long falseNegatives(int s) {
        return positives[s] - truePositives[s];
    }

    // Undefined is not zero: precision with nothing predicted positive, recall with no positive
    // example and f1 with neither rest on no rows (scikit-learn's zero_division=np.nan).

    double accuracy(int s) {
        return count[s] == 0 ? Double.NaN : (double) correct[s] / count[s];
    }

    double precision(int s) {
        return predictedPositives[s] == 0 ? Double.NaN : (double) truePositives[s] / predictedPositives[s];
    }

    double recall(int s) {
        return positives[s] == 0 ? Double.NaN : (double) truePositives[s] / positives[s];
    }

    double f1(int s) {
        long denominator = 2 * truePositives[s] + falsePositives(s) + falseNegatives(s);
        return denominator == 0 ? Double.NaN : 2.0 * truePositives[s] / denominator;
    }

    double meanLogLoss(int s) {
        return count[s] == 0 ? Double.NaN : logLoss[s] / count[s];
    }

    double meanBrier(int s) {
        return count[s] == 0 ? Double.NaN : brier[s] / count[s];
    }

    /** One row's log loss: {@code -log} of the clipped probability given to its label. */
    static double logLoss(boolean positive, double score) {
        double q = score < EPS ? EPS : (score > ONE_MINUS_EPS ? ONE_MINUS_EPS : score);
        return -Math.log(positive ? q : 1.0 - q);
    }

    /** Counts and sums of {@code p} in every scope of {@code layout}, predicting positive when {@code score >= threshold}. */
    static ClassificationCounts of(Predictions p, ScopeLayout layout, double threshold) {
        double[] labels = p.labels();
        double[] scores = p.scores();
        int n = p.size();
        int blocks = ScopeLayout.blocks(n);
        Block[] parts = new Block[blocks];
        int columns = layout.columns();
        int[] base = layout.base;
        int[][] codes = layout.codes;
        Parallel.forEach(blocks, b -> {
            Block acc = new Block(layout.count);
            int from = ScopeLayout.blockStart(n, b);
            int to = ScopeLayout.blockStart(n, b + 1);
            for (int i = from; i < to; i++) {
                double y = labels[i];
                double s = scores[i];
                boolean positive = y != 0.0;
                boolean predicted = s >= threshold;
                double ll = logLoss(positive, s);
                double d = y - s;
                double br = d * d;
                acc.add(0, positive, predicted, ll, br);
                for (int c = 0; c < columns; c++) {
                    acc.add(base[c] + codes[c][i], positive, predicted, ll, br);
                }
            }
            parts[b] = acc;
        });
        ClassificationCounts out = new ClassificationCounts(layout.count);
        double[] ll = new double[2];
        double[] br = new double[2];
        for (int s = 0; s < layout.count; s++) {
            ll[0] = 0;
            ll[1] = 0;
            br[0] = 0;
            br[1] = 0;
            for (Block acc : parts) {
                int k = Block.WIDTH * s;
                out.count[s] += acc.tally[k];
                out.positives[s] += acc.tally[k + 1];
                out.truePositives[s] += acc.tally[k + 2];
                out.predictedPositives[s] += acc.tally[k + 3];
                out.correct[s] += acc.tally[k + 4];
                Sums.combine(ll, acc.logLoss[2 * s], acc.logLoss[2 * s + 1]);
                Sums.combine(br, acc.brier[2 * s], acc.brier[2 * s + 1]);
                out.logLossSquares[s] += acc.logLossSquares[s];
                out.brierSquares[s] += acc.brierSquares[s];
            }
            out.logLoss[s] = ll[0] + ll[1];
            out.brier[s] = br[0] + br[1];
        }
        return out;
    }

    /** One block's counts and sums, per scope. */
    private static final class Block {
        /** Per scope, {@link #WIDTH} counts: rows, positives, true positives, predicted positives, correct. */
        static final int WIDTH = 5;
        final long[] tally;
        /** Compensated sums: value and compensation interleaved, {@code [2 * scope]} and {@code [2 * scope + 1]}. */
        final double[] logLoss;
        final double[] brier;
        final double[] logLossSquares;
        final double[] brierSquares;

        Block(int scopes) {
            tally = new long[WIDTH * scopes];
            logLoss = new double[2 * scopes];
            brier = new double[2 * scopes];
            logLossSquares = new double[scopes];
            brierSquares = new double[scopes];
        }

        void add(int s, boolean positive, boolean predicted, double ll, double br) {
            int k = WIDTH * s;
            tally[k]++;
            if (positive) {
                tally[k + 1]++;
            }
            if (positive && predicted) {
                tally[k + 2]++;
            }
            if (predicted) {
                tally[k + 3]++;
            }
            if (positive == predicted) {
                tally[k + 4]++;
            }
            Sums.add(logLoss, s, ll);
            Sums.add(brier, s, br);
            logLossSquares[s] += ll * ll;
            brierSquares[s] += br * br;
        }
    }
}
