package io.modelgate.drift;

import io.modelgate.common.Numbers;

import java.util.ArrayList;
import java.util.List;

/**
 * Two samples as shares per bin, as Evidently's {@code get_binned_data} makes them for PSI and
 * Jensen-Shannon: a numeric column whose reference has more than 20 distinct values gets Sturges
 * bins over both samples together ({@code np.histogram_bin_edges(..., bins="sturges")}); any other
 * column one bin per value. Shares are of each sample's size and are not smoothed here.
 *
 * @param labels    what each bin holds, for people ({@code [0.5, 1)} or the value)
 * @param reference the reference's share per bin
 * @param current   the current window's share per bin
 * @param edges     the bin edges of a numeric binning (length bins + 1); empty for one bin per value
 */
record Binned(List<String> labels, double[] reference, double[] current, double[] edges) {
    static final int MAX_VALUE_BINS = 20;

    /** Bins for a numeric column; {@code integers}: every value is whole (pandas would read int64). */
    static Binned numeric(double[] ref, double[] cur, boolean integers) {
        if (DriftStatistics.distinct(ref, MAX_VALUE_BINS + 1) > MAX_VALUE_BINS) {
            double min = Math.min(ref[0], cur[0]);
            double max = Math.max(ref[ref.length - 1], cur[cur.length - 1]);
            double[] edges = DriftStatistics.sturgesEdges(min, max, (long) ref.length + cur.length, integers);
            return ofEdges(ref, cur, edges);
        }
        return values(ref, cur);
    }

    /** Bins over given edges (the report's histograms use the same ones). */
    static Binned ofEdges(double[] ref, double[] cur, double[] edges) {
        long[] r = DriftStatistics.histogram(ref, edges);
        long[] c = DriftStatistics.histogram(cur, edges);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i + 1 < edges.length; i++) {
            labels.add("[" + Numbers.format(edges[i]) + ", " + Numbers.format(edges[i + 1])
                    + (i + 2 == edges.length ? "]" : ")"));
        }
        return new Binned(labels, shares(r, ref.length), shares(c, cur.length), edges);
    }

    /** One bin per distinct value of the two sorted samples, in ascending order. */
    static Binned values(double[] ref, double[] cur) {
        List<String> labels = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < ref.length || j < cur.length) {
            double x = i < ref.length && (j >= cur.length || ref[i] <= cur[j]) ? ref[i] : cur[j];
            int i0 = i;
            int j0 = j;
            while (i < ref.length && ref[i] <= x) {
                i++;
            }
            while (j < cur.length && cur[j] <= x) {
                j++;
            }
            labels.add(Numbers.format(x));
            counts.add(new long[] {i - i0, j - j0});
        }
        double[] r = new double[counts.size()];
        double[] c = new double[counts.size()];
        for (int k = 0; k < r.length; k++) {
            r[k] = (double) counts.get(k)[0] / ref.length;
            c[k] = (double) counts.get(k)[1] / cur.length;
        }
        return new Binned(labels, r, c, new double[0]);
    }

    /** One bin per category, given the counts of each sample (same order as {@code labels}). */
    static Binned categories(List<String> labels, long[] ref, long[] cur) {
        long nr = 0;
        long nc = 0;
        for (int k = 0; k < ref.length; k++) {
            nr += ref[k];
            nc += cur[k];
        }
        return new Binned(labels, shares(ref, nr), shares(cur, nc), new double[0]);
    }

    private static double[] shares(long[] counts, long total) {
        double[] s = new double[counts.length];
        for (int k = 0; k < s.length; k++) {
            s[k] = (double) counts[k] / total;
        }
        return s;
    }
}
