package io.modelgate.metrics;

import java.util.Arrays;

/**
 * Sorts long keys ({@link RadixSort#key}) together with an int per key (a row number), ascending by
 * key and stable: an LSD radix sort on {@code key - min} with digits of up to 11 bits, as many as
 * the keys' range needs, skipping a digit all keys share. The paired estimates need each row's
 * place in the order of both models' scores, which a sort of the keys alone does not keep.
 */
final class PairSort {
    private static final int SMALL = 48;
    private static final int DIGIT_BITS = 11;

    private PairSort() {
    }

    /** Sorts {@code keys[0, n)} and moves {@code rows[0, n)} with them; {@code tmpKeys}, {@code tmpRows} are scratch of at least {@code n}. */
    static void sort(long[] keys, int[] rows, int n, long[] tmpKeys, int[] tmpRows) {
        if (n < SMALL) {
            insertion(keys, rows, n);
            return;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long k = keys[i];
            min = Math.min(min, k);
            max = Math.max(max, k);
        }
        int bits = 64 - Long.numberOfLeadingZeros(max - min); // unsigned span
        if (bits == 0) {
            return;
        }
        int passes = (bits + DIGIT_BITS - 1) / DIGIT_BITS;
        int width = (bits + passes - 1) / passes;
        int radix = 1 << width;
        int mask = radix - 1;
        int[] counts = new int[passes * radix];
        for (int i = 0; i < n; i++) {
            long d = keys[i] - min;
            for (int p = 0; p < passes; p++) {
                counts[p * radix + (int) ((d >>> (p * width)) & mask)]++;
            }
        }
        long[] srcK = keys;
        int[] srcR = rows;
        long[] dstK = tmpKeys;
        int[] dstR = tmpRows;
        int[] offsets = new int[radix];
        for (int p = 0; p < passes; p++) {
            int shift = p * width;
            if (counts[p * radix + (int) (((keys[0] - min) >>> shift) & mask)] == n) {
                continue; // every key has this digit
            }
            int o = 0;
            for (int b = 0; b < radix; b++) {
                offsets[b] = o;
                o += counts[p * radix + b];
            }
            scatter(srcK, srcR, dstK, dstR, n, min, shift, mask, offsets);
            long[] tk = srcK;
            srcK = dstK;
            dstK = tk;
            int[] tr = srcR;
            srcR = dstR;
            dstR = tr;
        }
        if (srcK != keys) {
            System.arraycopy(srcK, 0, keys, 0, n);
            System.arraycopy(srcR, 0, rows, 0, n);
        }
    }

    private static void scatter(long[] srcK, int[] srcR, long[] dstK, int[] dstR, int n, long min, int shift, int mask,
                                int[] offsets) {
        for (int i = 0; i < n; i++) {
            long k = srcK[i];
            int o = offsets[(int) (((k - min) >>> shift) & mask)]++;
            dstK[o] = k;
            dstR[o] = srcR[i];
        }
    }

    private static void insertion(long[] keys, int[] rows, int n) {
        for (int i = 1; i < n; i++) {
            long k = keys[i];
            int r = rows[i];
            int j = i - 1;
            while (j >= 0 && keys[j] > k) {
                keys[j + 1] = keys[j];
                rows[j + 1] = rows[j];
                j--;
            }
            keys[j + 1] = k;
            rows[j + 1] = r;
        }
    }

    /** The row numbers {@code 0 .. n - 1}, the usual second array. */
    static int[] identity(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}
