package io.modelgate.metrics;

/** Compensated (Neumaier) sums in interleaved arrays, and the estimate of a mean of per-row values. */
final class Sums {
    private Sums() {
    }

    /** Adds {@code x} to the sum {@code a[2 * k]} with its compensation in {@code a[2 * k + 1]}. */
    static void add(double[] a, int k, double x) {
        double sum = a[2 * k];
        double t = sum + x;
        a[2 * k + 1] += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
        a[2 * k] = t;
    }

    /** Adds a compensated partial sum (value, compensation) into {@code acc = {value, compensation}}. */
    static void combine(double[] acc, double value, double compensation) {
        double t = acc[0] + value;
        double e = Math.abs(acc[0]) >= Math.abs(value) ? (acc[0] - t) + value : (value - t) + acc[0];
        acc[0] = t;
        acc[1] += e + compensation;
    }

    /**
     * The mean of {@code n} per-row values from their sum and sum of squares: se is the sample
     * standard deviation over {@code sqrt(n)}, the interval {@code mean +- t(n-1) * se} clipped to
     * {@code [low, high]}; NaN se with fewer than two rows.
     */
    static Estimate meanEstimate(double sum, double sumSquares, long n, double confidence, double low, double high) {
        return meanEstimate(n == 0 ? Double.NaN : sum / n, sum, sumSquares, n, confidence, low, high, "delta");
    }

    /** {@link #meanEstimate(double, double, long, double, double, double)} reporting {@code value}. */
    static Estimate meanEstimate(double value, double sum, double sumSquares, long n, double confidence, double low,
                                 double high, String method) {
        if (n < 2) {
            return Intervals.undefined(value, n, method);
        }
        double se = Math.sqrt(Math.max(0, sumSquares - sum * (sum / n)) / (n - 1) / n);
        return Intervals.symmetric(value, n, se, Intervals.t(confidence, (double) (n - 1)), low, high, method);
    }
}
