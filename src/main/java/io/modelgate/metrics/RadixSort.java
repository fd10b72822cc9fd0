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
