package io.modelgate.metrics;

/**
 * ROC AUC and average precision with their variances, in one walk up the sorted scores of a scope.
 *
 * <p>AUC's variance is DeLong's: each positive's structural component {@code V10} is the share of
 * negatives it outscores (ties 1/2), each negative's {@code V01} the share of positives that outscore
 * it, and {@code var(AUC) = var(V10) / P + var(V01) / N} with sample variances. Rows in a group of
 * tied scores share their components, so the walk needs only each group's counts, never a row.
 *
 * <p>Average precision's variance is the delta method's {@code sum(IF_i^2) / n^2} with the influence
 * function of {@code AP = (1/P) sum over positives of precision(score_i)} (precision at threshold
 * {@code >= score_i}): a positive in a group at threshold {@code s} has
 * {@code IF = (h(s) - AP + G1(s) - G2(s)) / pi}, a negative {@code IF = -G2(s) / pi}, where
 * {@code h} is the precision, {@code pi = P / n}, {@code G1(s)} the sum over positives scoring at
 * most {@code s} of {@code 1 / PP} and {@code G2(s)} that of {@code h / PP} ({@code PP}: rows scoring
 * at least the positive's score). Derivation in {@code docs/statistics.md}.
 */
final class RankWalk {
    /** Indexes into the walk's output. */
    static final int AUC = 0;
    static final int AP = 1;
    static final int AUC_VARIANCE = 2;
    static final int AP_VARIANCE = 3;
    /** The AUC variance's degrees of freedom (Welch-Satterthwaite over its positive and negative components). */
    static final int AUC_DF = 4;
    /** How long {@code out} must be. */
    static final int SLOTS = 5;

    private RankWalk() {
    }

    /**
     * Walks the positives' keys {@code pos[pf, pt)} and the negatives' keys {@code neg[nf, nt)},
     * both sorted ascending ({@link RadixSort#key}), and writes AUC, AP and their variances into
     * {@code out} (see the index constants). All NaN when a class is absent; the AUC variance is
     * NaN with fewer than two of either class.
     */
    static void walk(long[] pos, int pf, int pt, long[] neg, int nf, int nt, double[] out) {
        long p = (long) pt - pf;
        long n = (long) nt - nf;
        if (p == 0 || n == 0) {
            out[AUC] = Double.NaN;
            out[AP] = Double.NaN;
            out[AUC_VARIANCE] = Double.NaN;
            out[AP_VARIANCE] = Double.NaN;
            out[AUC_DF] = Double.NaN;
            return;
        }
        long total = p + n;
        int i = pf;
        int j = nf;
        long posBelow = 0;
        long negBelow = 0;
        long u2 = 0; // twice the Mann-Whitney U, exact
        double[] ap = new double[2]; // compensated sum: value, compensation
        // 1 - V10 of positives (small when AUC is near 1, which keeps the variance's sums exact) and V01 of negatives
        double s10 = 0;
        double s10sq = 0;
        double s01 = 0;
        double s01sq = 0;
        double g1 = 0;
        double g2 = 0;
        double sy = 0; // over positives, of y = h + G1 - G2
        double syy = 0;
        double sg2 = 0; // over negatives, of G2^2
        while (i < pt || j < nt) {
            long v;
            if (i >= pt) {
                v = neg[j];
            } else if (j >= nt) {
                v = pos[i];
            } else {
                v = Math.min(pos[i], neg[j]);
            }
            long cp = 0;
            while (i < pt && pos[i] == v) {
                cp++;
                i++;
            }
            long cn = 0;
            while (j < nt && neg[j] == v) {
                cn++;
                j++;
            }
            u2 += cp * (2 * negBelow + cn);
            if (cp > 0) {
                long atLeast = total - posBelow - negBelow;
                double h = (double) (p - posBelow) / atLeast;
                double term = ((double) cp / p) * h;
                Sums.add(ap, 0, term);
                double x = (2.0 * (n - negBelow - cn) + cn) / (2.0 * n);
                s10 += cp * x;
                s10sq += cp * x * x;
                g1 += cp / (double) atLeast;
                g2 += cp * h / atLeast;
                double y = h + g1 - g2;
                sy += cp * y;
                syy += cp * y * y;
            }
            if (cn > 0) {
                double x = (2.0 * (p - posBelow - cp) + cp) / (2.0 * p);
                s01 += cn * x;
                s01sq += cn * x * x;
                sg2 += cn * g2 * g2;
            }
            posBelow += cp;
            negBelow += cn;
        }
        double apValue = ap[0] + ap[1];
        out[AUC] = u2 / (2.0 * p * n);
        out[AP] = apValue;
        if (p < 2 || n < 2) {
            out[AUC_VARIANCE] = Double.NaN;
            out[AUC_DF] = Double.NaN;
        } else {
            double var10 = Math.max(0, s10sq - s10 * s10 / p) / (p - 1);
            double var01 = Math.max(0, s01sq - s01 * s01 / n) / (n - 1);
            out[AUC_VARIANCE] = var10 / p + var01 / n;
            out[AUC_DF] = Estimate.welch(var10 / p, (double) (p - 1), var01 / n, (double) (n - 1));
        }
        double positivesSquares = syy - 2 * apValue * sy + apValue * apValue * p; // sum over positives of (y - AP)^2
        out[AP_VARIANCE] = Math.max(0, positivesSquares + sg2) / ((double) p * p);
    }
}
