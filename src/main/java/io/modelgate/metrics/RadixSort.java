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
        int n = values.length - nans;
        long[] keys = new long[n];
        int scale = decimalKeys(values, keys);
        if (scale < 0) {
            doubleKeys(values, keys);
        }
        sortByRange(keys, n);
        double[] out = new double[n];
        if (scale < 0) {
            doubleValues(keys, out);
        } else {
            decimalValues(keys, POW10[scale], out);
        }
        return out;
    }

    /**
     * Fills {@code keys} with {@code m = round(v 10^s)} for the values that are not NaN and returns the
     * smallest scale {@code s} at which every value is exactly {@code m / 10^s} (the double
     * {@link DoubleParser} makes of that decimal), or -1 when there is none up to {@link #MAX_SCALE}.
     */
    private static int decimalKeys(double[] values, long[] keys) {
        int scale = 0;
        while (scale >= 0) {
            int failed = decimalKeys(values, keys, scale);
            if (failed < 0) {
                return scale;
            }
            scale = smallestScale(values[failed], scale + 1); // a value with more decimals: start again
        }
        return -1;
    }

    /** The keys at one scale; the index of the first value that is not a decimal at it, or -1. */
    private static int decimalKeys(double[] values, long[] keys, int scale) {
        double p = POW10[scale];
        int k = 0;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (v != v) {
                continue;
            }
            long m = Math.round(v * p);
            if (!isDecimal(v, m, scale)) {
                return i;
            }
            keys[k++] = m;
        }
        return -1;
    }

    private static int smallestScale(double v, int from) {
        for (int s = from; s <= MAX_SCALE; s++) {
            if (isDecimal(v, Math.round(v * POW10[s]), s)) {
                return s;
            }
        }
        return -1;
    }

    private static boolean isDecimal(double v, long m, int scale) {
        return m > -DoubleParser.MAX_EXACT && m < DoubleParser.MAX_EXACT
                && (scale == 0 ? (double) m : m / POW10[scale]) == v;
    }

    private static void doubleKeys(double[] values, long[] keys) {
        int k = 0;
        for (double v : values) {
            if (v == v) {
                keys[k++] = key(v);
            }
        }
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
     * Sorts {@code a[0, n)} ascending (as signed longs): an LSD radix sort on {@code a[i] - min} with
     * digits of up to 11 bits, as many as {@code max - min} needs.
     */
    static void sortByRange(long[] a, int n) {
        if (n < SMALL) {
            Arrays.sort(a, 0, n);
            return;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, a[i]);
            max = Math.max(max, a[i]);
        }
        int bits = 64 - Long.numberOfLeadingZeros(max - min); // max - min as unsigned: keys may span all of long
        if (bits == 0) {
            return;
        }
        int passes = (bits + DIGIT_BITS - 1) / DIGIT_BITS;
        int width = (bits + passes - 1) / passes;
        int[] counts = digitCounts(a, n, min, passes, width);
        long[] src = a;
        long[] dst = new long[n];
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
