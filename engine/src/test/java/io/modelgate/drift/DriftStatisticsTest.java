package io.modelgate.drift;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The statistics computed a second, naive way, so they are checked even where SciPy is not installed. */
class DriftStatisticsTest {
    private static double[] sample(SplittableRandom r, int n, double shift, int decimals) {
        double[] x = new double[n];
        double scale = Math.pow(10, decimals);
        for (int i = 0; i < n; i++) {
            x[i] = Math.round((r.nextDouble() * 3 + shift) * scale) / scale;
        }
        Arrays.sort(x);
        return x;
    }

    /** F(x) = share of values <= x, by counting. */
    private static double ecdf(double[] a, double x) {
        return (double) Arrays.stream(a).filter(v -> v <= x).count() / a.length;
    }

    @Test
    void ksStatisticIsTheLargestEcdfDifferenceAtAnyObservedValue() {
        SplittableRandom r = new SplittableRandom(7);
        for (int round = 0; round < 20; round++) {
            double[] a = sample(r, 5 + r.nextInt(60), 0, r.nextInt(3));
            double[] b = sample(r, 5 + r.nextInt(60), r.nextDouble(), r.nextInt(3));
            double d = 0;
            for (double x : concat(a, b)) {
                d = Math.max(d, Math.abs(ecdf(a, x) - ecdf(b, x)));
            }
            assertThat(DriftStatistics.ksStatistic(a, b)).isCloseTo(d, within(1e-12));
        }
    }

    @Test
    void exactKsPValueCountsLatticePathsForTinySamples() {
        // P(D >= d) by enumerating every way to split the pooled ranks: C(9, 4) = 126 arrangements
        double[] a = {1, 2, 3, 8};
        double[] b = {4, 5, 6, 7, 9};
        double d = DriftStatistics.ksStatistic(a, b);
        int n = 9;
        int extreme = 0;
        int total = 0;
        for (int mask = 0; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) != 4) {
                continue;
            }
            double[] x = new double[4];
            double[] y = new double[5];
            int i = 0;
            int j = 0;
            for (int k = 0; k < n; k++) {
                if ((mask & (1 << k)) != 0) {
                    x[i++] = k;
                } else {
                    y[j++] = k;
                }
            }
            total++;
            if (DriftStatistics.ksStatistic(x, y) >= d - 1e-12) {
                extreme++;
            }
        }
        assertThat(DriftStatistics.ks(a, b).pValue()).isCloseTo((double) extreme / total, within(1e-12));
    }

    @Test
    void equalSizedKsPValueAgreesWithPathCounting() {
        double[] a = {1, 2, 3, 4, 10};
        double[] b = {5, 6, 7, 8, 9};
        // D = 0.8; of the C(10, 5) = 252 arrangements, 2 * (C(10,1) - ...) reach 0.8: count them
        int n = 10;
        int extreme = 0;
        int total = 0;
        double d = DriftStatistics.ksStatistic(a, b);
        for (int mask = 0; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) != 5) {
                continue;
            }
            double[] x = new double[5];
            double[] y = new double[5];
            int i = 0;
            int j = 0;
            for (int k = 0; k < n; k++) {
                if ((mask & (1 << k)) != 0) {
                    x[i++] = k;
                } else {
                    y[j++] = k;
                }
            }
            total++;
            if (DriftStatistics.ksStatistic(x, y) >= d - 1e-12) {
                extreme++;
            }
        }
        assertThat(DriftStatistics.ks(a, b).pValue()).isCloseTo((double) extreme / total, within(1e-12));
    }

    @Test
    void wassersteinIsTheAreaBetweenTheEcdfsOnAFineGrid() {
        SplittableRandom r = new SplittableRandom(11);
        double[] a = sample(r, 40, 0, 1);
        double[] b = sample(r, 55, 0.5, 1);
        // every value has one decimal: integrate |F_a - F_b| exactly over steps of 0.1
        double area = 0;
        for (int k = -10; k < 50; k++) {
            double x = k / 10.0;
            area += Math.abs(ecdf(a, x + 1e-9) - ecdf(b, x + 1e-9)) * 0.1;
        }
        assertThat(DriftStatistics.wasserstein(a, b)).isCloseTo(area, within(1e-9));
        // two point masses one apart: distance 1
        assertThat(DriftStatistics.wasserstein(new double[] {0, 0}, new double[] {1})).isCloseTo(1, within(1e-15));
    }

    /**
     * Long samples, so the walk runs in several stretches and ends in its bounds-tested tail (the
     * shifted sample is alone above the other's largest value): the same sum, to the bit, as one
     * plain merge over both samples.
     */
    @Test
    void wassersteinInStretchesSumsExactlyAsOnePlainMerge() {
        SplittableRandom r = new SplittableRandom(5);
        for (double shift : new double[] {0, 0.3, 5}) {
            double[] a = new double[120_000];
            double[] b = new double[90_000];
            for (int i = 0; i < a.length; i++) {
                a[i] = Math.round(r.nextGaussian() * 1e4) / 1e3;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = Math.round((r.nextGaussian() * 1.2 + shift) * 1e4) / 1e3;
            }
            Arrays.sort(a);
            Arrays.sort(b);
            assertThat(Double.doubleToLongBits(DriftStatistics.wasserstein(a, b))).as("shift %s", shift)
                    .isEqualTo(Double.doubleToLongBits(plainMerge(a, b)));
            assertThat(Double.doubleToLongBits(DriftStatistics.wasserstein(b, a)))
                    .isEqualTo(Double.doubleToLongBits(plainMerge(b, a)));
        }
    }

    /** The walk written once, with every bound tested, summed in the same order (Neumaier). */
    private static double plainMerge(double[] u, double[] v) {
        int i = 0;
        int j = 0;
        double sum = 0;
        double compensation = 0;
        double prev = Double.NaN;
        double prevDiff = 0;
        while (i < u.length || j < v.length) {
            double x = i < u.length && (j >= v.length || u[i] <= v[j]) ? u[i] : v[j];
            if (prev == prev) {
                double term = prevDiff * (x - prev);
                double s = sum + term;
                compensation += Math.abs(sum) >= Math.abs(term) ? (sum - s) + term : (term - s) + sum;
                sum = s;
            }
            while (i < u.length && u[i] <= x) {
                i++;
            }
            while (j < v.length && v[j] <= x) {
                j++;
            }
            prevDiff = Math.abs((double) i / u.length - (double) j / v.length);
            prev = x;
        }
        return sum + compensation;
    }

    @Test
    void chiSquareAndJensenShannonFollowTheirDefinitions() {
        DriftStatistics.Test t = DriftStatistics.chiSquare(new double[] {10, 20, 30}, new double[] {20, 20, 20});
        assertThat(t.statistic()).isCloseTo(10.0, within(1e-12)); // (100 + 0 + 100) / 20
        assertThat(t.pValue()).isCloseTo(Math.exp(-5.0), within(1e-12)); // chi2 sf with 2 df is exp(-x/2)
        assertThat(DriftStatistics.jensenShannon(new double[] {1, 0}, new double[] {0, 1})).isCloseTo(1.0, within(1e-12));
        assertThat(DriftStatistics.jensenShannon(new double[] {1, 2}, new double[] {2, 4})).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void psiFillsZeroSharesAsEvidentlyDoes() {
        double[] r = {0.5, 0.5, 0};
        double[] c = {0.4, 0.4, 0.2};
        DriftStatistics.fillZeroes(r);
        assertThat(r[2]).isEqualTo(0.0001);
        double expected = (0.5 - 0.4) * Math.log(0.5 / 0.4) * 2 + (0.0001 - 0.2) * Math.log(0.0001 / 0.2);
        assertThat(DriftStatistics.psi(r, c)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void sturgesBinsCoverBothSamplesAndCountEveryValueOnce() {
        SplittableRandom r = new SplittableRandom(3);
        double[] a = sample(r, 500, 0, 3);
        double[] b = sample(r, 700, 0.7, 3);
        double[] edges = DriftStatistics.sturgesEdges(Math.min(a[0], b[0]), Math.max(a[499], b[699]), 1200, false);
        assertThat(edges).hasSize((int) Math.ceil(Math.log(1200) / Math.log(2) + 1) + 1);
        assertThat(Arrays.stream(DriftStatistics.histogram(a, edges)).sum()).isEqualTo(500);
        assertThat(Arrays.stream(DriftStatistics.histogram(b, edges)).sum()).isEqualTo(700);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
