package io.modelgate.metrics;

import java.util.Arrays;

/**
 * Sort keys for doubles, and an LSD radix sort for them: eight passes of eight bits at most,
 * skipping a pass when all keys share that byte. Several times faster than a comparison sort on
 * the millions of scores a gate sees.
 */
public final class RadixSort {
    private static final int SMALL = 256;

    private RadixSort() {
    }

    /**
     * A long that orders like the double: {@code key(a) < key(b)} exactly when {@code a < b}, and
     * equal keys for equal doubles ({@code -0.0} counts as {@code 0.0}). Not for NaN.
     */
    public static long key(double x) {
        long bits = Double.doubleToRawLongBits(x + 0.0);
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    /** The double a key was made from. */
    public static double value(long key) {
        return Double.longBitsToDouble(key ^ ((key >> 63) & Long.MAX_VALUE));
    }

    /** The most decimals {@link #sortedFinite} tries before treating values as arbitrary doubles. */
    private static final int MAX_SCALE = 15;
    /** Digits of up to 11 bits: a pass's 2,048 counters stay in the first-level cache. */
    private static final int DIGIT_BITS = 11;
    /** {@code 10^s}, exact, for the scales {@link #sortedFinite} tries. */
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };

    /**
     * The values that are not NaN, sorted ascending, in a new array ({@code -0.0} becomes {@code 0.0}).
     *
     * <p>Data read from text usually has a fixed number of decimals: every value is {@code m / 10^s}
     * for an integer {@code m} and one scale {@code s}. Such values are sorted as the integers {@code m}
     * (exact: {@code m -> m / 10^s} is increasing, and each value is checked to come back bit for bit),
     * whose range needs two or three radix passes where a double's 64-bit key needs six. Any other
     * column is sorted by {@link #key}, with as many passes as the keys' range needs.
     *
     * <p>The loops over the values are small methods of their own, so that a cold JVM compiles each
     * quickly instead of replacing one big method on the stack.
     *
     * @param nans how many NaN values {@code values} holds
     */
    public static double[] sortedFinite(double[] values, int nans) {
        return sortedFinite(values, nans, new Scratch());
    }

    /** {@link #sortedFinite(double[], int)} with the working arrays of {@code scratch}. */
    public static double[] sortedFinite(double[] values, int nans, Scratch scratch) {
        return sortedFinite(values, values.length, scratch, new double[values.length - nans]);
    }

    /**
     * {@link #sortedFinite(double[], int, Scratch)} into one of {@code scratch}'s two result arrays
     * ({@code slot} 0 or 1), which the next call for the same slot overwrites: for a caller that is done
     * with one column's sorted values before it sorts the next. Fresh memory is what costs on a cold
     * JVM (the kernel maps and zeroes each page), and columns of one table mostly have the same length.
     * Only {@code values[0, length)} are sorted.
     */
    public static double[] sortedFiniteReusing(double[] values, int length, int nans, Scratch scratch, int slot) {
        return sortedFinite(values, length, scratch, scratch.result(slot, length - nans));
    }

    /**
     * The values of a decimal column that are not missing, sorted ascending, into one of {@code scratch}'s
     * result arrays as {@link #sortedFiniteReusing} does: the units are the sort keys already, so there
     * is nothing to check and nothing to convert but the output.
     */
    public static double[] sortedUnitsReusing(CsvTable.DecimalColumn column, Scratch scratch, int slot) {
        int length = column.rows();
        double[] out = scratch.result(slot, length - column.missing());
        int n = out.length;
        int[] units = column.units();
        long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
        for (int from = 0; from < length; from += STRIDE) {
            unitRange(units, from, Math.min(length, from + STRIDE), range);
        }
        long span = range[1] - range[0];
        double p = column.divisor();
        if (n >= SMALL && span < COUNTING_SPAN * (long) n && span < Integer.MAX_VALUE - 16) {
            int[] counts = scratch.counts((int) span + 1);
            clearCounts(counts, (int) span);
            for (int from = 0; from < length; from += STRIDE) {
                countUnits(units, from, Math.min(length, from + STRIDE), (int) range[0], counts);
            }
            writeCounted(counts, (int) span, range[0], p, out);
            return out;
        }
        long[] keys = scratch.keys(n);
        int k = 0;
        for (int i = 0; i < length; i++) {
            if (units[i] != CsvTable.DecimalColumn.MISSING) {
                keys[k++] = units[i];
            }
        }
        if (n > 0) {
            sortByRange(keys, n, range[0], range[1], scratch.tmp(n));
        }
        decimalValues(keys, p, out);
        return out;
    }

    /** Widens {@code range} (smallest, largest) by the units of {@code units[from, to)} that are not missing. */
    private static void unitRange(int[] units, int from, int to, long[] range) {
        int min = (int) Math.min(Integer.MAX_VALUE, range[0]);
        int max = (int) Math.max(-Integer.MAX_VALUE, range[1]);
        for (int i = from; i < to; i++) {
            int u = units[i];
            if (u != CsvTable.DecimalColumn.MISSING) {
                min = Math.min(min, u);
                max = Math.max(max, u);
            }
        }
        range[0] = Math.min(range[0], min);
        range[1] = Math.max(range[1], max);
    }

    private static void countUnits(int[] units, int from, int to, int min, int[] counts) {
        for (int i = from; i < to; i++) {
            int u = units[i];
            if (u != CsvTable.DecimalColumn.MISSING) {
                counts[u - min]++;
            }
        }
    }

    /** Sorts the values of {@code values[0, length)} that are not NaN into {@code out}, which has room for exactly them. */
    private static double[] sortedFinite(double[] values, int length, Scratch scratch, double[] out) {
        int n = out.length;
        long[] keys = scratch.keys(n);
        long[] range = new long[2];
        int scale = decimalKeys(values, length, keys, range);
        if (scale < 0) {
            doubleKeys(values, length, keys, range);
        }
        long span = range[1] - range[0];
        if (scale >= 0 && n >= SMALL && span >= 0 && span < COUNTING_SPAN * (long) n) {
            countingSort(keys, n, range[0], (int) span, POW10[scale], scratch.counts((int) span + 1), out);
            return out;
        }
        sortByRange(keys, n, range[0], range[1], scratch.tmp(n));
        if (scale < 0) {
            doubleValues(keys, out);
        } else {
            decimalValues(keys, POW10[scale], out);
        }
        return out;
    }

    /**
     * Decimal keys spanning fewer than this many values per key are counted rather than radix-sorted:
     * one pass to count each key, one to write them out in order (as their doubles, directly).
     */
    private static final int COUNTING_SPAN = 4;

    /**
     * Writes the values of the decimal keys {@code keys[0, n)}, all in {@code [min, min + span]}, to
     * {@code out} in ascending order; {@code counts} (at least span + 1 long) is scratch.
     */
    private static void countingSort(long[] keys, int n, long min, int span, double p, int[] counts, double[] out) {
        clearCounts(counts, span);
        for (int from = 0; from < n; from += STRIDE) {
            count(keys, from, Math.min(n, from + STRIDE), min, counts);
        }
        writeCounted(counts, span, min, p, out);
    }

    /** Zeroes {@code counts[0, span]}. */
    private static void clearCounts(int[] counts, int span) {
        for (int b = 0; b <= span; b += STRIDE) {
            Arrays.fill(counts, b, Math.min(span + 1, b + STRIDE), 0);
        }
    }

    /** Writes the values of keys {@code min + [0, span]} to {@code out}, each as often as counted. */
    private static void writeCounted(int[] counts, int span, long min, double p, double[] out) {
        int k = 0;
        for (int b = 0; b <= span; b += STRIDE) {
            k = write(counts, b, Math.min(span + 1, b + STRIDE), min, p, out, k);
        }
    }

    /**
     * The million-value loops here run a stretch of this many values per call. A cold JVM compiles a
     * loop that runs for a whole column while it runs (on-stack replacement), before it has ever seen
     * the loop end, and throws that code away when it does; called once per stretch, the loop is seen
     * to end many times before it is compiled, once, as an ordinary method.
     */
    public static final int STRIDE = 1 << 14;

    private static void count(long[] keys, int from, int to, long min, int[] counts) {
        for (int i = from; i < to; i++) {
            counts[(int) (keys[i] - min)]++;
        }
    }

    /** Writes the values of keys {@code min + [from, to)} as often as counted, from {@code out[k]}; returns the next k. */
    private static int write(int[] counts, int from, int to, long min, double p, double[] out, int k) {
        for (int b = from; b < to; b++) {
            int c = counts[b];
            if (c != 0) {
                double v = (min + b) / p; // the division that made the value (p = 1 for whole numbers)
                for (int end = k + c; k < end; k++) {
                    out[k] = v;
                }
            }
        }
        return k;
    }

    /**
     * The working arrays of {@link #sortedFinite}, kept between calls: a thread that sorts many
     * columns of a million values allocates (and the OS maps) them once instead of per column.
     * One per thread; not thread-safe.
     */
    public static final class Scratch {
        private long[] keys = new long[0];
        private long[] tmp = new long[0];
        private int[] counts = new int[0];
        private final double[][] results = new double[2][];

        double[] result(int slot, int n) {
            if (results[slot] == null || results[slot].length != n) {
                results[slot] = new double[n];
            }
            return results[slot];
        }

        int[] counts(int n) {
            if (counts.length < n) {
                counts = new int[n];
            }
            return counts;
        }

        long[] keys(int n) {
            if (keys.length < n) {
                keys = new long[n];
            }
            return keys;
        }

        long[] tmp(int n) {
            if (tmp.length < n) {
                tmp = new long[n];
            }
            return tmp;
        }
    }

    /**
     * Fills {@code keys} with {@code m = round(v 10^s)} for the values that are not NaN and returns the
     * smallest scale {@code s} at which every value is exactly {@code m / 10^s} (the double
     * {@link DoubleParser} makes of that decimal), or -1 when there is none up to {@link #MAX_SCALE}.
     */
    private static int decimalKeys(double[] values, int length, long[] keys, long[] range) {
        int scale = 0;
        while (scale >= 0) {
            int failed = decimalKeys(values, length, keys, scale, range);
            if (failed < 0) {
                return scale;
            }
            scale = smallestScale(values[failed], scale + 1); // a value with more decimals: start again
        }
        return -1;
    }

    /**
     * The keys at one scale, and their smallest and largest in {@code range}; the index of the first
     * value that is not a decimal at that scale, or -1.
     */
    private static int decimalKeys(double[] values, int length, long[] keys, int scale, long[] range) {
        range[0] = Long.MAX_VALUE;
        range[1] = Long.MIN_VALUE;
        int k = 0;
        for (int from = 0; from < length; from += STRIDE) {
            k = decimalKeys(values, from, Math.min(length, from + STRIDE), keys, k, scale, range);
            if (k < 0) {
                return -k - 1;
            }
        }
        return -1;
    }

    /**
     * {@link #decimalKeys(double[], int, long[], int, long[])} for {@code values[from, to)}, from {@code keys[k]}:
     * the next k, or {@code -(i + 1)} for the first value {@code i} that is not a decimal at the scale.
     */
    private static int decimalKeys(double[] values, int from, int to, long[] keys, int k, int scale, long[] range) {
        double p = POW10[scale];
        long min = range[0];
        long max = range[1];
        for (int i = from; i < to; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                continue;
            }
            long m = (long) Math.rint(v * p);
            if (!isDecimal(v, m, scale)) {
                return -i - 1;
            }
            keys[k++] = m;
            min = Math.min(min, m);
            max = Math.max(max, m);
        }
        range[0] = min;
        range[1] = max;
        return k;
    }

    private static int smallestScale(double v, int from) {
        for (int s = from; s <= MAX_SCALE; s++) {
            if (isDecimal(v, (long) Math.rint(v * POW10[s]), s)) {
                return s;
            }
        }
        return -1;
    }

    private static boolean isDecimal(double v, long m, int scale) {
        return m > -DoubleParser.MAX_EXACT && m < DoubleParser.MAX_EXACT
                && (scale == 0 ? (double) m : m / POW10[scale]) == v;
    }

    private static void doubleKeys(double[] values, int length, long[] keys, long[] range) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int k = 0;
        for (int i = 0; i < length; i++) {
            double v = values[i];
            if (!Double.isNaN(v)) {
                long key = key(v);
                keys[k++] = key;
                min = Math.min(min, key);
                max = Math.max(max, key);
            }
        }
        range[0] = min;
        range[1] = max;
    }

    private static void doubleValues(long[] keys, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = value(keys[i]);
        }
    }

    /** {@code m / p}: the same division that made each value from its decimal text. */
    private static void decimalValues(long[] keys, double p, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = keys[i] / p;
        }
    }

    /**
     * Sorts {@code a[0, n)}, whose keys lie in {@code [min, max]}, ascending (as signed longs): an LSD
     * radix sort on {@code a[i] - min} with digits of up to 11 bits, as many as {@code max - min} needs;
     * {@code tmp[0, n)} is scratch.
     */
    static void sortByRange(long[] a, int n, long min, long max, long[] tmp) {
        if (n < SMALL) {
            Arrays.sort(a, 0, n);
            return;
        }
        int bits = 64 - Long.numberOfLeadingZeros(max - min); // max - min as unsigned: keys may span all of long
        if (bits == 0) {
            return;
        }
        int passes = (bits + DIGIT_BITS - 1) / DIGIT_BITS;
        int width = (bits + passes - 1) / passes;
        int[] counts = digitCounts(a, n, min, passes, width);
        long[] src = a;
        long[] dst = tmp;
        int radix = 1 << width;
        for (int p = 0; p < passes; p++) {
            int[] offsets = Arrays.copyOfRange(counts, p * radix, (p + 1) * radix);
            if (offsets[(int) (((a[0] - min) >>> (p * width)) & (radix - 1))] == n) {
                continue; // every key has the same digit here
            }
            int o = 0;
            for (int b = 0; b < radix; b++) {
                int c = offsets[b];
                offsets[b] = o;
                o += c;
            }
            scatter(src, dst, n, min, p * width, radix - 1, offsets);
            long[] t = src;
            src = dst;
            dst = t;
        }
        if (src != a) {
            System.arraycopy(src, 0, a, 0, n);
        }
    }

    /** Per pass {@code p}, how many keys have each digit: {@code counts[p * 2^width + digit]}. */
    private static int[] digitCounts(long[] a, int n, long min, int passes, int width) {
        int radix = 1 << width;
        int mask = radix - 1;
        int[] counts = new int[passes * radix];
        for (int i = 0; i < n; i++) {
            long d = a[i] - min;
            for (int p = 0; p < passes; p++) {
                counts[p * radix + (int) ((d >>> (p * width)) & mask)]++;
            }
        }
        return counts;
    }

    private static void scatter(long[] src, long[] dst, int n, long min, int shift, int mask, int[] offsets) {
        for (int i = 0; i < n; i++) {
            long v = src[i];
            dst[offsets[(int) (((v - min) >>> shift) & mask)]++] = v;
        }
    }

    /** Sorts {@code a[from, to)} ascending (as signed longs); uses {@code tmp[from, to)} as scratch. */
    public static void sort(long[] a, int from, int to, long[] tmp) {
        int n = to - from;
        if (n < SMALL) {
            Arrays.sort(a, from, to);
            return;
        }
        int[] counts = new int[8 * 256];
        for (int i = from; i < to; i++) {
            long k = a[i] ^ Long.MIN_VALUE; // unsigned order
            counts[(int) (k & 0xff)]++;
            counts[256 + (int) ((k >>> 8) & 0xff)]++;
            counts[512 + (int) ((k >>> 16) & 0xff)]++;
            counts[768 + (int) ((k >>> 24) & 0xff)]++;
            counts[1024 + (int) ((k >>> 32) & 0xff)]++;
            counts[1280 + (int) ((k >>> 40) & 0xff)]++;
            counts[1536 + (int) ((k >>> 48) & 0xff)]++;
            counts[1792 + (int) (k >>> 56)]++;
        }
        long[] src = a;
        long[] dst = tmp;
        long first = a[from] ^ Long.MIN_VALUE;
        int[] offset = new int[256];
        for (int d = 0; d < 8; d++) {
            int shift = 8 * d;
            int base = 256 * d;
            if (counts[base + (int) ((first >>> shift) & 0xff)] == n) {
                continue; // every key has the same byte here
            }
            int o = from;
            for (int b = 0; b < 256; b++) {
                offset[b] = o;
                o += counts[base + b];
            }
            for (int i = from; i < to; i++) {
                long v = src[i];
                int b = (int) (((v ^ Long.MIN_VALUE) >>> shift) & 0xff);
                dst[offset[b]++] = v;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        if (src != a) {
            System.arraycopy(src, from, a, from, n);
        }
    }
}
