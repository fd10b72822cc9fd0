package io.modelgate.drift;

/**
 * The distribution function P(D_n < d) of the one-sample Kolmogorov-Smirnov statistic, for the regions
 * {@link DriftStatistics#kolmogorovSf} does not answer in closed form: the Marsaglia-Tsang-Wang matrix
 * method for n <= 140 and the Pelz-Good asymptotic series above.
 *
 * <p>Written here because Commons Statistics, which replaces commons-math3, keeps its one-sample
 * distribution package-private (its {@code KolmogorovSmirnovTest} gives only whole tests, with its own
 * choice of method). The computations are the ones commons-math3 3.6.1 made, operation for operation
 * where the order of rounding matters (the matrix power), so every drift p-value stays what it was
 * (checked to 1e-12 against commons-math3 before it was removed; SciPy agreement is tested in
 * {@code ScipyAgreementTest}).
 *
 * <ul>
 *   <li>G. Marsaglia, W. W. Tsang, J. Wang (2003), "Evaluating Kolmogorov's distribution", Journal of
 *       Statistical Software 8(18): P(D_n < d) = n!/n^n (H^n)_kk, H an m x m matrix, m = 2k - 1,
 *       k = ceil(n d), h = k - n d.</li>
 *   <li>W. Pelz, I. J. Good (1976), "Approximating the lower tail-areas of the Kolmogorov-Smirnov
 *       one-sample statistic", JRSS B 38(2), in the form of R. Simard, P. L'Ecuyer (2011), "Computing
 *       the two-sided Kolmogorov-Smirnov distribution", Journal of Statistical Software 39(11), eq. (11).</li>
 * </ul>
 */
final class KolmogorovDistribution {
    /**
     * A series stops when its next term changes it by at most this, relatively. "At most", not "less
     * than" as in commons-math3: for z below about 0.08 every term underflows to 0, and a sum of zeros
     * never shrinks below itself, so math3 ran to its iteration limit and threw (a two-sample KS test of
     * two nearly identical large samples failed with an internal error); here such a series is 0.
     */
    private static final double SERIES_PRECISION = 1e-10;
    private static final int MAX_TERMS = 100_000;
    private static final double PI2 = Math.PI * Math.PI;

    private KolmogorovDistribution() {
    }

    /** P(D_n < d) for 1 < n d < n - 1 (outside it, the closed forms of {@link DriftStatistics#kolmogorovSf}). */
    static double cdf(double d, int n) {
        return n <= 140 ? marsagliaTsangWang(d, n) : pelzGood(d, n);
    }

    static double marsagliaTsangWang(double d, int n) {
        int k = (int) Math.ceil(n * d);
        double[][] h = matrix(d, n, k);
        double p = power(h, n)[k - 1][k - 1];
        for (int i = 1; i <= n; ++i) {
            p *= (double) i / (double) n; // n!/n^n, a factor at a time: neither part fits in a double
        }
        return p;
    }

    /** Marsaglia, Tsang and Wang's H. */
    private static double[][] matrix(double d, int n, int k) {
        int m = 2 * k - 1;
        double h = k - n * d;
        double[][] a = new double[m][m];
        for (int i = 0; i < m; ++i) {
            for (int j = 0; j < m; ++j) {
                a[i][j] = i - j + 1 < 0 ? 0 : 1;
            }
        }
        double[] powers = new double[m];
        powers[0] = h;
        for (int i = 1; i < m; ++i) {
            powers[i] = h * powers[i - 1];
        }
        for (int i = 0; i < m; ++i) {
            a[i][0] -= powers[i];
            a[m - 1][i] -= powers[m - i - 1];
        }
        if (h > 0.5) {
            a[m - 1][0] += Math.pow(2 * h - 1, m);
        }
        // Each entry divided by (i - j + 1)!, one factor at a time, as the method's authors do.
        for (int i = 0; i < m; ++i) {
            for (int j = 0; j < i + 1; ++j) {
                for (int g = 2; g <= i - j + 1; ++g) {
                    a[i][j] /= g;
                }
            }
        }
        return a;
    }

    /**
     * {@code a^p} for p >= 1, as {@code a} times the squares {@code a^(2^i)} for the bits of p - 1,
     * highest first: the order commons-math3 multiplied in, which fixes the rounding.
     */
    private static double[][] power(double[][] a, int p) {
        if (p == 1) {
            return a;
        }
        String bits = Integer.toBinaryString(p - 1);
        double[][][] squares = new double[bits.length()][][];
        squares[0] = a;
        for (int i = 1; i < bits.length(); ++i) {
            squares[i] = multiply(squares[i - 1], squares[i - 1]);
        }
        double[][] result = a;
        for (int i = 0; i < bits.length(); ++i) {
            if (bits.charAt(i) == '1') {
                result = multiply(result, squares[bits.length() - i - 1]);
            }
        }
        return result;
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length;
        double[][] out = new double[n][n];
        double[] column = new double[n];
        for (int col = 0; col < n; ++col) {
            for (int i = 0; i < n; ++i) {
                column[i] = y[i][col];
            }
            for (int row = 0; row < n; ++row) {
                double[] r = x[row];
                double sum = 0;
                for (int i = 0; i < n; ++i) {
                    sum += r[i] * column[i];
                }
                out[row][col] = sum;
            }
        }
        return out;
    }

    /** The Pelz-Good series to the term in n^(-3/2). */
    static double pelzGood(double d, int n) {
        double sqrtN = Math.sqrt(n);
        double z = d * sqrtN;
        double z2 = d * d * n;
        double z4 = z2 * z2;
        double z6 = z4 * z2;
        double z8 = z4 * z4;
        double twoZ2 = 2 * z2;
        double pi4 = PI2 * PI2;
        double pi6 = pi4 * PI2;
        double sqrtHalfPi = Math.sqrt(Math.PI / 2);

        // K0: sqrt(2 pi)/z sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 z^2))
        double sum = 0;
        double eighth = PI2 / (8 * z2);
        for (int k = 1; ; k++) {
            double odd = 2 * k - 1;
            double term = Math.exp(-eighth * odd * odd);
            sum += term;
            if (term <= SERIES_PRECISION * sum) {
                break;
            }
            limit(k);
        }
        double result = sum * Math.sqrt(2 * Math.PI) / z;

        // K1: sum_{k>=0} (pi^2 (k+1/2)^2 - z^2) exp(-pi^2 (k+1/2)^2 / (2 z^2))
        sum = 0;
        for (int k = 0; ; k++) {
            double kk = (k + 0.5) * (k + 0.5);
            double term = (PI2 * kk - z2) * Math.exp(-PI2 * kk / twoZ2);
            sum += term;
            if (Math.abs(term) <= SERIES_PRECISION * Math.abs(sum)) {
                break;
            }
            limit(k + 1);
        }
        result += sum * sqrtHalfPi / (3 * z4 * sqrtN);

        // K2
        sum = 0;
        for (int k = 0; ; k++) {
            double kk = (k + 0.5) * (k + 0.5);
            double term = (6 * z6 + 2 * z4 + PI2 * (2 * z4 - 5 * z2) * kk + pi4 * (1 - twoZ2) * kk * kk)
                    * Math.exp(-PI2 * kk / twoZ2);
            sum += term;
            if (Math.abs(term) <= SERIES_PRECISION * Math.abs(sum)) {
                break;
            }
            limit(k + 1);
        }
        double sum2 = 0;
        for (int k = 1; ; k++) {
            double kk = (double) k * k;
            double term = PI2 * kk * Math.exp(-PI2 * kk / twoZ2);
            sum2 += term;
            if (Math.abs(term) <= SERIES_PRECISION * Math.abs(sum2)) {
                break;
            }
            limit(k);
        }
        result += (sqrtHalfPi / n) * (sum / (36 * z2 * z2 * z2 * z) - sum2 / (18 * z2 * z));

        // K3
        sum = 0;
        for (int k = 0; ; k++) {
            double kk = (k + 0.5) * (k + 0.5);
            double k4 = kk * kk;
            double k6 = k4 * kk;
            double term = (pi6 * k6 * (5 - 30 * z2) + pi4 * k4 * (-60 * z2 + 212 * z4)
                    + PI2 * kk * (135 * z4 - 96 * z6) - 30 * z6 - 90 * z8) * Math.exp(-PI2 * kk / twoZ2);
            sum += term;
            if (Math.abs(term) <= SERIES_PRECISION * Math.abs(sum)) {
                break;
            }
            limit(k + 1);
        }
        sum2 = 0;
        for (int k = 1; ; k++) {
            double kk = (double) k * k;
            double term = (-pi4 * kk * kk + 3 * PI2 * kk * z2) * Math.exp(-PI2 * kk / twoZ2);
            sum2 += term;
            if (Math.abs(term) <= SERIES_PRECISION * Math.abs(sum2)) {
                break;
            }
            limit(k);
        }
        return result + (sqrtHalfPi / (sqrtN * n)) * (sum / (3240 * z6 * z4) + sum2 / (108 * z6));
    }

    /** The series converge in a handful of terms where they are used; a runaway one is a bug, not a p-value. */
    private static void limit(int terms) {
        if (terms >= MAX_TERMS) {
            throw new ArithmeticException("Pelz-Good series did not converge in " + MAX_TERMS + " terms");
        }
    }
}
