package io.modelgate.metrics;

import java.util.Arrays;

/**
 * The merging of sorted runs of score keys that the rank-based metrics need ({@link ScoreOrder}),
 * on primitive arrays.
 */
final class Ranking {
    private Ranking() {
    }

    /**
     * Merges the sorted runs {@code src[lo[r], hi[r])} into {@code dst} from {@code at}, using
     * all threads: the value range is cut at sampled pivots and each piece merged on its own.
     */
    static void mergeParallel(long[] src, int[] lo, int[] hi, long[] dst, int at, int parts) {
        int runs = lo.length;
        long total = 0;
        for (int r = 0; r < runs; r++) {
            total += hi[r] - lo[r];
        }
        if (parts <= 1 || total < 100_000) {
            merge(src, lo, hi, dst, at);
            return;
        }
        long[] pivots = pivots(src, lo, hi, total, parts);
        // cuts[q][r]: where piece q starts in run r
        int[][] cuts = new int[parts + 1][];
        cuts[0] = lo.clone();
        cuts[parts] = hi.clone();
        for (int q = 1; q < parts; q++) {
            cuts[q] = new int[runs];
            for (int r = 0; r < runs; r++) {
                cuts[q][r] = Math.max(cuts[q - 1][r], lowerBound(src, lo[r], hi[r], pivots[q - 1]));
            }
        }
        int[] starts = new int[parts];
        int o = at;
        for (int q = 0; q < parts; q++) {
            starts[q] = o;
            for (int r = 0; r < runs; r++) {
                o += cuts[q + 1][r] - cuts[q][r];
            }
        }
        Parallel.forEach(parts, q -> merge(src, cuts[q], cuts[q + 1], dst, starts[q]));
    }

    private static long[] pivots(long[] src, int[] lo, int[] hi, long total, int parts) {
        int want = 64 * parts;
        long[] sample = new long[want + lo.length];
        int s = 0;
        for (int r = 0; r < lo.length; r++) {
            int len = hi[r] - lo[r];
            int m = (int) Math.min(len, Math.max(len > 0 ? 1 : 0, (long) want * len / total));
            for (int k = 0; k < m && s < sample.length; k++) {
                sample[s++] = src[lo[r] + (int) ((long) len * k / m)];
            }
        }
        Arrays.sort(sample, 0, s);
        long[] pivots = new long[parts - 1];
        for (int q = 1; q < parts; q++) {
            pivots[q - 1] = s == 0 ? 0 : sample[Math.min(s - 1, s * q / parts)];
        }
        return pivots;
    }

    /** First index in the sorted {@code a[from, to)} whose value is not less than {@code key}. */
    static int lowerBound(long[] a, int from, int to, long key) {
        int l = from;
        int h = to;
        while (l < h) {
            int mid = (l + h) >>> 1;
            if (a[mid] < key) {
                l = mid + 1;
            } else {
                h = mid;
            }
        }
        return l;
    }

    /** k-way merge of the sorted runs {@code src[lo[r], hi[r])} into {@code dst} from {@code at}. */
    static void merge(long[] src, int[] lo, int[] hi, long[] dst, int at) {
        int runs = lo.length;
        int[] heap = new int[runs];
        int[] cursor = new int[runs];
        long[] head = new long[runs];
        int size = 0;
        for (int r = 0; r < runs; r++) {
            cursor[r] = lo[r];
            if (lo[r] < hi[r]) {
                head[r] = src[lo[r]];
                heap[size++] = r;
            }
        }
        if (size == 0) {
            return;
        }
        if (size == 1) {
            int r = heap[0];
            System.arraycopy(src, lo[r], dst, at, hi[r] - lo[r]);
            return;
        }
        if (size == 2) {
            int a = heap[0];
            int b = heap[1];
            int i = lo[a];
            int ie = hi[a];
            int j = lo[b];
            int je = hi[b];
            int o = at;
            while (i < ie && j < je) {
                long x = src[i];
                long y = src[j];
                if (x <= y) {
                    dst[o++] = x;
                    i++;
                } else {
                    dst[o++] = y;
                    j++;
                }
            }
            System.arraycopy(src, i, dst, o, ie - i);
            o += ie - i;
            System.arraycopy(src, j, dst, o, je - j);
            return;
        }
        for (int k = size / 2 - 1; k >= 0; k--) {
            siftDown(heap, head, size, k);
        }
        int o = at;
        while (size > 0) {
            int r = heap[0];
            dst[o++] = head[r];
            int c = ++cursor[r];
            if (c < hi[r]) {
                head[r] = src[c];
            } else {
                heap[0] = heap[--size];
            }
            if (size > 0) {
                siftDown(heap, head, size, 0);
            }
        }
    }

    private static void siftDown(int[] heap, long[] head, int size, int k) {
        int r = heap[k];
        long v = head[r];
        while (true) {
            int child = 2 * k + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && head[heap[child + 1]] < head[heap[child]]) {
                child++;
            }
            if (head[heap[child]] >= v) {
                break;
            }
            heap[k] = heap[child];
            k = child;
        }
        heap[k] = r;
    }
}
