package io.modelgate.drift;

import io.modelgate.metrics.RadixSort;

import org.apache.commons.numbers.gamma.LogGamma;
import org.apache.commons.numbers.gamma.RegularizedGamma;

/**
 * The statistics of drift detection, computed as SciPy and Evidently compute them, so a figure here
 * can be checked against theirs (to 1e-9 in the tests). Numeric inputs are sorted ascending and free
 * of NaN; every method is one pass over them after sorting.
 *
 * <ul>
 *   <li>{@link #ks}: {@code scipy.stats.ks_2samp(a, b)} with {@code method='auto'}: the exact p-value
 *       (Hodges' lattice-path recursion) when both samples have at most 10,000 values, else
 *       {@code kstwo.sf(D, round(n m / (n + m)))}.</li>
 *   <li>{@link #chiSquare}: {@code scipy.stats.chisquare(observed, expected)}; Evidently passes the
 *       reference counts scaled to the current sample's size as {@code expected}.</li>
 *   <li>{@link #wasserstein}: {@code scipy.stats.wasserstein_distance(u, v)}; Evidently divides it by
 *       {@code max(np.std(reference), 0.001)} ({@link #normedWasserstein}).</li>
 *   <li>{@link #jensenShannon}: {@code scipy.spatial.distance.jensenshannon(p, q, base=2)}.</li>
 *   <li>{@link #psi}: Evidently's {@code psi}: {@code sum((r - c) ln(r / c))} over shares whose zeros
 *       were replaced as {@link #fillZeroes} does.</li>
 * </ul>
 */
public final class DriftStatistics {
    /** ks_2samp computes the exact p-value up to this many values in the larger sample. */
    static final int KS_EXACT_MAX = 10_000;

    private DriftStatistics() {
    }

    /** A test's statistic and p-value. */
    public record Test(double statistic, double pValue) {
    }

    // ---------------------------------------------------------------- Kolmogorov-Smirnov

    /** The two-sided two-sample KS test on sorted samples, as {@code scipy.stats.ks_2samp(a, b)}. */
    public static Test ks(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("empty sample");
        }
        double d = ksStatistic(a, b);
        if (Math.max(n1, n2) <= KS_EXACT_MAX) {
            int g = gcd(n1, n2);
            long lcm = (long) (n1 / g) * n2;
            long h = (long) Math.rint(d * lcm);
            double exactD = h * 1.0 / lcm;
            if (h == 0) {
                return new Test(exactD, 1.0);
            }
            double p = n1 == n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
            if (p >= 0 && p <= 1) {
                return new Test(exactD, p);
            }
            d = exactD; // as SciPy: fall back to the asymptotic p-value with the rounded statistic
        }
        double m = Math.max(n1, n2);
        double n = Math.min(n1, n2);
        double en = m * n / (m + n);
        return new Test(d, clip(kolmogorovSf(d, (int) Math.rint(en))));
    }

    /** max |F_a(x) - F_b(x)| over all x, with the empirical CDFs computed as SciPy does. */
    static double ksStatistic(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        int i = 0;
        int j = 0;
        double max = 0;
        double min = 0;
        while (i < n1 || j < n2) {
            double x = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
            while (i < n1 && a[i] <= x) {
                i++;
            }
            while (j < n2 && b[j] <= x) {
                j++;
            }
            double diff = (double) i / n1 - (double) j / n2;
            max = Math.max(max, diff);
            min = Math.min(min, diff);
        }
        double minS = Math.min(1, Math.max(0, -min));
        return minS > max ? minS : max;
    }

    /** SciPy's {@code _compute_prob_outside_square(n, h)}: P(D >= h/n) for two samples of n. */
    static double probOutsideSquare(long n, long h) {
        double p = 0.0;
        long k = (long) Math.floor((double) n / h);
        while (k >= 0) {
            double p1 = 1.0;
            for (long j = 0; j < h; j++) {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /**
     * SciPy's {@code _compute_outer_prob_inside_method(m, n, g, h)}: the share of lattice paths that
     * leave the band |x/m - y/n| < h/lcm, by Viehmann's recursion for 1 - p (arXiv:2102.08037).
     */
    static double outerProbInside(long m0, long n0, long g, long h) {
        long m = Math.max(m0, n0);
        long n = Math.min(m0, n0);
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min(ceilDiv(h, mg), n + 1);
        int curlen = maxj - minj;
        int lenA = (int) Math.min(2L * maxj + 2, n + 1);
        double[] a = new double[lenA];
        java.util.Arrays.fill(a, 1.0);
        java.util.Arrays.fill(a, minj, maxj, 0.0);
        for (long i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = (int) Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0);
            minj = (int) Math.min(minj, n);
            maxj = (int) Math.min(ceilDiv(ng * i + h, mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                int j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                java.util.Arrays.fill(a, maxj - minj, maxj - minj + (lastlen - curlen), 1.0);
            }
        }
        return a[maxj - minj - 1];
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    /**
     * {@code scipy.stats.kstwo.sf(x, n)}: P(D_n >= x) for the one-sample statistic, following SciPy's
     * choice of method by region: Ruben-Gambino's closed forms at the ends, {@code 2 * smirnov(n, x)}
     * where it is accurate (x >= 0.5; n x^2 >= 4 for n <= 140, >= 2.2 above), else one minus the CDF:
     * Marsaglia-Tsang-Wang for n <= 140 and Pelz-Good above ({@link KolmogorovDistribution}). SciPy uses the
     * Durbin matrix up to n = 100,000 where we use Pelz-Good; the two agree to about 1e-6 there.
     */
    static double kolmogorovSf(double x, int n) {
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double t = n * x;
        if (t <= 1.0) {
            if (t <= 0.5) {
                return 1.0;
            }
            double logCdf = LogGamma.value(n + 1.0) - n * Math.log(n) + n * Math.log(2 * t - 1);
            return clip(1.0 - Math.exp(logCdf));
        }
        if (t >= n - 1) {
            return clip(2 * Math.pow(1.0 - x, n));
        }
        if (x >= 0.5) {
            return clip(2 * smirnov(n, x));
        }
        double nxx = t * x;
        if (n <= 140) {
            if (nxx <= 4) {
                return clip(1.0 - KolmogorovDistribution.cdf(x, n));
            }
            return clip(2 * smirnov(n, x));
        }
        if (nxx >= 370.0) {
            return 0.0;
        }
        if (nxx >= 2.2) {
            return clip(2 * smirnov(n, x));
        }
        return clip(1.0 - KolmogorovDistribution.cdf(x, n));
    }

    /**
     * The one-sided one-sample statistic's survival function P(D+_n >= x), Smirnov's exact sum
     * {@code x sum_j C(n, j) (1 - x - j/n)^(n-j) (x + j/n)^(j-1)}, each term in logs.
     */
    static double smirnov(int n, double x) {
        if (x <= 0) {
            return 1.0;
        }
        if (x >= 1) {
            return 0.0;
        }
        int last = (int) Math.floor(n * (1 - x));
        double logNFact = LogGamma.value(n + 1.0);
        double sum = 0;
        double logX = Math.log(x);
        for (int j = 0; j <= last; j++) {
            double a = 1 - x - (double) j / n;
            if (a <= 0) {
                break;
            }
            double b = x + (double) j / n;
            double logTerm = logNFact - LogGamma.value(j + 1.0) - LogGamma.value(n - j + 1.0)
                    + (n - j) * Math.log(a) + (j - 1) * Math.log(b) + logX;
            sum += Math.exp(logTerm);
        }
        return Math.min(1.0, sum);
    }

    // ---------------------------------------------------------------- chi-square

    /**
     * {@code scipy.stats.chisquare(observed, expected)}: sum of (o - e)^2 / e with k - 1 degrees of
     * freedom; an expected count of zero with an observed count above zero gives an infinite statistic
     * and p = 0.
     */
    public static Test chiSquare(double[] observed, double[] expected) {
        double stat = 0;
        for (int i = 0; i < observed.length; i++) {
            double diff = observed[i] - expected[i];
            stat += diff * diff / expected[i];
        }
        int df = observed.length - 1;
        if (Double.isNaN(stat)) {
            stat = 0; // 0/0 where both are zero: that category is absent from both
        }
        if (df < 1) {
            return new Test(stat, Double.NaN);
        }
        double p = Double.isInfinite(stat) ? 0.0 : RegularizedGamma.Q.value(df / 2.0, stat / 2.0);
        return new Test(stat, p);
    }

    // ---------------------------------------------------------------- Wasserstein

    /** {@code scipy.stats.wasserstein_distance(u, v)} on sorted samples: the area between the two ECDFs. */
    public static double wasserstein(double[] u, double[] v) {
        int n1 = u.length;
        int n2 = v.length;
        if (n1 == 0 || n2 == 0) {
            return new Merge(u, v).tail();
        }
        Merge m = new Merge(u, v);
        // Below the smaller of the two largest values neither scan can run off its array: that part
        // needs no bounds tests, and runs a stretch per call (see RadixSort.STRIDE).
        double stop = Math.min(u[n1 - 1], v[n2 - 1]);
        while (m.body(stop, RadixSort.STRIDE)) {
            // next stretch
        }
        return m.tail();
    }

    /**
     * The walk over the merged distinct values of two sorted samples, summing |F_u - F_v| times the gap
     * to the next value, as SciPy's {@code _cdf_distance} with p = 1, in the same order.
     */
    private static final class Merge {
        private final double[] u;
        private final double[] v;
        private int i;
        private int j;
        private double sum;
        private double compensation;
        /**
         * The last value walked, and the gap between the two distributions up to it. Starting at the
         * smallest value, with no gap, makes the first step add an exact 0, where a test for "no value
         * yet" would be a branch taken once per column (which the compiled walk would trap on).
         */
        private double prev;
        private double prevDiff;

        Merge(double[] u, double[] v) {
            this.u = u;
            this.v = v;
            this.prev = u.length > 0 && v.length > 0 ? Math.min(u[0], v[0]) : 0;
        }

        /**
         * Up to {@code steps} distinct values below {@code stop} (which both samples reach); false once
         * the next value is {@code >= stop}.
         */
        boolean body(double stop, int steps) {
            double[] u = this.u;
            double[] v = this.v;
            int i = this.i;
            int j = this.j;
            double n1 = u.length;
            double n2 = v.length;
            boolean more = true;
            for (int s = 0; s < steps; s++) {
                double x = u[i] <= v[j] ? u[i] : v[j];
                if (x >= stop) {
                    more = false;
                    break;
                }
                add(x);
                while (u[i] <= x) {
                    i++;
                }
                while (v[j] <= x) {
                    j++;
                }
                prevDiff = Math.abs(i / n1 - j / n2);
                prev = x;
            }
            this.i = i;
            this.j = j;
            return more;
        }

        /** The rest of the walk, with every bound tested. */
        double tail() {
            int n1 = u.length;
            int n2 = v.length;
            while (i < n1 || j < n2) {
                double x = i < n1 && (j >= n2 || u[i] <= v[j]) ? u[i] : v[j];
                add(x);
                while (i < n1 && u[i] <= x) {
                    i++;
                }
                while (j < n2 && v[j] <= x) {
                    j++;
                }
                prevDiff = Math.abs((double) i / n1 - (double) j / n2);
                prev = x;
            }
            return sum + compensation;
        }

        private void add(double x) {
            // Compensated (Neumaier) summation: 2 million terms summed naively would lose digits SciPy
            // keeps. The rounding error of each addition is found by TwoSum, which gives the same exact
            // error as Neumaier's two cases without a branch between them.
            double term = prevDiff * (x - prev);
            double s = sum + term;
            double t = s - sum;
            compensation += (sum - (s - t)) + (term - t);
            sum = s;
        }
    }

    /** {@code np.std(x)}: the population standard deviation (ddof 0), mean first then squares. */
    public static double std(double[] x) {
        double sum = 0;
        for (int from = 0; from < x.length; from += RadixSort.STRIDE) {
            sum = sum(x, from, Math.min(x.length, from + RadixSort.STRIDE), sum);
        }
        double mean = sum / x.length;
        double squares = 0;
        for (int from = 0; from < x.length; from += RadixSort.STRIDE) {
            squares = squares(x, from, Math.min(x.length, from + RadixSort.STRIDE), mean, squares);
        }
        return Math.sqrt(squares / x.length);
    }

    private static double sum(double[] x, int from, int to, double sum) {
        for (int i = from; i < to; i++) {
            sum += x[i];
        }
        return sum;
    }

    private static double squares(double[] x, int from, int to, double mean, double squares) {
        for (int i = from; i < to; i++) {
            double d = x[i] - mean;
            squares += d * d;
        }
        return squares;
    }

    /** Evidently's {@code wasserstein}: the distance over {@code max(std(reference), 0.001)}. */
    public static double normedWasserstein(double[] reference, double[] current) {
        return wasserstein(reference, current) / Math.max(std(reference), 0.001);
    }

    // ---------------------------------------------------------------- Jensen-Shannon and PSI

    /** {@code scipy.spatial.distance.jensenshannon(p, q, base=2)}; p and q are normalised first. */
    public static double jensenShannon(double[] p, double[] q) {
        double sp = 0;
        double sq = 0;
        for (int i = 0; i < p.length; i++) {
            sp += p[i];
            sq += q[i];
        }
        double left = 0;
        double right = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / sp;
            double qi = q[i] / sq;
            double m = (pi + qi) / 2.0;
            left += relEntr(pi, m);
            right += relEntr(qi, m);
        }
        double js = (left + right) / Math.log(2.0);
        return Math.sqrt(js / 2.0);
    }

    private static double relEntr(double x, double y) {
        if (x > 0 && y > 0) {
            return x * Math.log(x / y);
        }
        return x == 0 && y >= 0 ? 0.0 : Double.POSITIVE_INFINITY;
    }

    /** Evidently's PSI on shares already passed through {@link #fillZeroes}. */
    public static double psi(double[] reference, double[] current) {
        double psi = 0;
        for (int i = 0; i < reference.length; i++) {
            psi += (reference[i] - current[i]) * Math.log(reference[i] / current[i]);
        }
        return psi;
    }

    /**
     * Evidently's {@code feel_zeroes}: every zero share becomes the smallest non-zero share divided by
     * 10^6 when that is at most 0.0001, else 0.0001 (in place).
     */
    public static void fillZeroes(double[] shares) {
        double min = Double.POSITIVE_INFINITY;
        for (double s : shares) {
            if (s != 0 && s < min) {
                min = s;
            }
        }
        double fill = min <= 0.0001 ? min / 1e6 : 0.0001;
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] == 0) {
                shares[i] = fill;
            }
        }
    }

    // ---------------------------------------------------------------- binning

    /**
     * {@code np.histogram_bin_edges(values, bins='sturges')} for values spanning [min, max], count of
     * them {@code n}: equal bins of width ptp / (log2 n + 1), as many as cover the range, edges from
     * {@code np.linspace}. With {@code integers} (an integer column, as pandas reads one) a width
     * below 1 becomes 1.
     */
    public static double[] sturgesEdges(double min, double max, long n, boolean integers) {
        double first = min;
        double last = max;
        if (first == last) {
            first -= 0.5;
            last += 0.5;
        }
        double width = (max - min) / (log2(n) + 1.0);
        int bins;
        if (width != 0) {
            if (integers && width < 1) {
                width = 1;
            }
            bins = (int) Math.ceil((last - first) / width);
        } else {
            bins = 1;
        }
        double[] edges = new double[bins + 1];
        double step = (last - first) / bins;
        for (int i = 0; i <= bins; i++) {
            edges[i] = i * step + first;
        }
        edges[bins] = last;
        return edges;
    }

    /** log2 exact for powers of two, as C's log2 is. */
    private static double log2(long n) {
        if (Long.bitCount(n) == 1) {
            return Long.numberOfTrailingZeros(n);
        }
        return Math.log((double) n) / Math.log(2.0);
    }

    /**
     * {@code np.histogram(sorted, edges)[0]}: bin i holds values in [e_i, e_i+1), the last bin
     * [e_k-1, e_k]; values outside are not counted.
     */
    public static long[] histogram(double[] sorted, double[] edges) {
        int k = edges.length - 1;
        long[] cumulative = new long[k + 1];
        for (int i = 0; i < k; i++) {
            cumulative[i] = searchLeft(sorted, edges[i]);
        }
        cumulative[k] = searchRight(sorted, edges[k]);
        long[] counts = new long[k];
        for (int i = 0; i < k; i++) {
            counts[i] = cumulative[i + 1] - cumulative[i];
        }
        return counts;
    }

    static int searchLeft(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static int searchRight(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The number of distinct values in a sorted array, counted up to {@code cap}: the callers only ask
     * whether there are more than a few, so the count stops there instead of walking a million values.
     */
    static int distinct(double[] sorted, int cap) {
        int n = 0;
        for (int i = 0; i < sorted.length && n < cap; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                n++;
            }
        }
        return n;
    }

    /** The number of distinct values in two sorted arrays together, counted up to {@code cap}. */
    static int distinct(double[] a, double[] b, int cap) {
        int i = 0;
        int j = 0;
        int n = 0;
        while ((i < a.length || j < b.length) && n < cap) {
            double x = i < a.length && (j >= b.length || a[i] <= b[j]) ? a[i] : b[j];
            n++;
            while (i < a.length && a[i] <= x) {
                i++;
            }
            while (j < b.length && b[j] <= x) {
                j++;
            }
        }
        return n;
    }

    private static double clip(double p) {
        return Math.min(1.0, Math.max(0.0, p));
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
