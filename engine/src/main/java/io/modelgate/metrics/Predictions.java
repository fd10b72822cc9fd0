package io.modelgate.metrics;

import java.util.List;

/**
 * Predictions held column-wise in primitive arrays, so ten million rows fit in a few hundred MB.
 *
 * <p>The arrays are shared, not copied: callers must not change them.
 *
 * @param task   what was predicted
 * @param labels the true labels (0 or 1 for classification)
 * @param scores the model's scores, same length as labels
 * @param slices one entry per slice column
 */
public record Predictions(Task task, double[] labels, double[] scores, List<SliceColumn> slices) {
    public Predictions {
        if (labels.length != scores.length) {
            throw new IllegalArgumentException("labels and scores differ in length");
        }
        slices = List.copyOf(slices);
    }

    public int size() {
        return labels.length;
    }

    /**
     * A categorical column, dictionary-encoded.
     *
     * @param name   the column's header name
     * @param values the distinct values, indexed by code
     * @param codes  per row, the index into {@code values}
     */
    public record SliceColumn(String name, List<String> values, int[] codes) {
        public SliceColumn {
            values = List.copyOf(values);
        }
    }
}
