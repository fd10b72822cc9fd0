package io.modelgate.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The scopes of some predictions, numbered as {@link MetricsCalculator} numbers them: scope 0 is
 * all rows, scope {@code base[c] + v} is value {@code v} of slice column {@code c}. The scope's
 * number also picks its bootstrap random stream, so estimates do not depend on how work is split.
 *
 * <p>Sums over rows are taken per fixed block of {@link #BLOCK} rows and the blocks' sums added in
 * block order: the result is the same bit for bit whatever the number of threads.
 */
final class ScopeLayout {
    /** Rows per block of a pass over the rows. */
    static final int BLOCK = 1 << 20;

    final int count;
    final int[] base;
    final int[][] codes;
    final int[] sizes;
    private final List<String> names;

    ScopeLayout(List<Predictions.SliceColumn> columns) {
        base = new int[columns.size()];
        codes = new int[columns.size()][];
        names = new ArrayList<>();
        names.add(Slices.OVERALL);
        int s = 1;
        for (int c = 0; c < columns.size(); c++) {
            Predictions.SliceColumn column = columns.get(c);
            base[c] = s;
            codes[c] = column.codes();
            s += column.values().size();
            for (String v : column.values()) {
                names.add(Slices.key(column.name(), v));
            }
        }
        count = s;
        sizes = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            sizes[c] = columns.get(c).values().size();
        }
    }

    int columns() {
        return base.length;
    }

    /** How many of {@code n} rows each scope holds. */
    long[] counts(int n) {
        long[] out = new long[count];
        out[0] = n;
        for (int c = 0; c < base.length; c++) {
            int[] col = codes[c];
            int b = base[c];
            for (int i = 0; i < n; i++) {
                out[b + col[i]]++;
            }
        }
        return out;
    }

    /** The scope's key in {@link Uncertainties}. */
    String name(int scope) {
        return names.get(scope);
    }

    static int blocks(int n) {
        return Math.max(1, (int) ((n + (long) BLOCK - 1) / BLOCK));
    }

    static int blockStart(int n, int block) {
        return (int) Math.min(n, (long) block * BLOCK);
    }
}
