package io.modelgate.metrics;

import java.util.List;

/**
 * How to read a predictions CSV: which columns hold the label, the score and the slices.
 *
 * @param labelColumn  header name of the true label (default {@code label})
 * @param scoreColumn  header name of the model's score or prediction (default {@code score})
 * @param sliceColumns header names of categorical columns to compute per-slice metrics for
 * @param task         classification (labels 0/1) or regression
 */
public record PredictionsFormat(String labelColumn, String scoreColumn, List<String> sliceColumns, Task task) {
    public PredictionsFormat {
        sliceColumns = List.copyOf(sliceColumns);
    }

    public static PredictionsFormat defaults() {
        return new PredictionsFormat("label", "score", List.of(), Task.CLASSIFICATION);
    }

    /** The same format reading another column as the score: a second model's scores in the same file. */
    public PredictionsFormat withScore(String column) {
        return new PredictionsFormat(labelColumn, column, sliceColumns, task);
    }

    public PredictionsFormat withSlices(List<String> columns) {
        return new PredictionsFormat(labelColumn, scoreColumn, columns, task);
    }
}
