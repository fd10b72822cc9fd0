package io.modelgate.metrics;

import io.modelgate.common.Sanitizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two models' predictions of the same examples, row-aligned: row {@code i} of each is one example.
 * The baseline's rows are reordered to the candidate's; both carry the candidate's slices.
 */
public record PairedPredictions(Predictions candidate, Predictions baseline) {
    public PairedPredictions {
        if (candidate.size() != baseline.size()) {
            throw new IllegalArgumentException("paired predictions differ in length");
        }
    }

    /**
     * Reads both files and joins them on {@code idColumn}: every id once in each file, the same ids
     * in both, the same label for an id in both. Anything else is bad input naming the file and the id,
     * because a paired comparison of different examples would be wrong without saying so.
     */
    public static PairedPredictions join(Path candidateFile, Path baselineFile, PredictionsFormat format, String idColumn) {
        if (format.sliceColumns().contains(idColumn)) {
            throw new MetricsException("--id-column " + Sanitizer.freeText(idColumn) + " is also a slice column; "
                    + "an id identifies one example and cannot be a slice");
        }
        List<String> withId = new ArrayList<>(format.sliceColumns());
        withId.add(idColumn);
        PredictionsFormat reading = format.withSlices(withId);
        Predictions c = PredictionsReader.read(candidateFile, reading);
        Predictions b = PredictionsReader.read(baselineFile, reading);
        Predictions.SliceColumn cIds = c.slices().get(withId.size() - 1);
        Predictions.SliceColumn bIds = b.slices().get(withId.size() - 1);
        int[] candidateRow = uniqueRows(candidateFile, cIds, idColumn);
        int[] baselineRow = uniqueRows(baselineFile, bIds, idColumn);
        Map<String, Integer> baselineCode = new HashMap<>(bIds.values().size() * 2);
        for (int v = 0; v < bIds.values().size(); v++) {
            baselineCode.put(bIds.values().get(v), v);
        }
        if (bIds.values().size() != cIds.values().size()) {
            throw new MetricsException(baselineFile + ": has " + bIds.values().size() + " examples, the candidate's "
                    + candidateFile + " has " + cIds.values().size() + "; paired predictions need the same ids in both");
        }
        int n = c.size();
        double[] labels = new double[n];
        double[] scores = new double[n];
        for (int v = 0; v < cIds.values().size(); v++) {
            String id = cIds.values().get(v);
            Integer code = baselineCode.get(id);
            if (code == null) {
                throw new MetricsException(baselineFile + ": no row with " + Sanitizer.freeText(idColumn) + " '"
                        + Sanitizer.freeText(id) + "', which the candidate's predictions have");
            }
            int i = candidateRow[v];
            int j = baselineRow[code];
            if (b.labels()[j] != c.labels()[i] && !(Double.isNaN(b.labels()[j]) && Double.isNaN(c.labels()[i]))) {
                throw new MetricsException(baselineFile + ": the label of " + Sanitizer.freeText(idColumn) + " '"
                        + Sanitizer.freeText(id) + "' differs from the candidate's (" + c.labels()[i] + " and "
                        + b.labels()[j] + "); paired predictions must judge the same examples");
            }
            labels[i] = b.labels()[j];
            scores[i] = b.scores()[j];
        }
        List<Predictions.SliceColumn> slices = c.slices().subList(0, withId.size() - 1);
        return new PairedPredictions(new Predictions(c.task(), c.labels(), c.scores(), slices),
                new Predictions(c.task(), labels, scores, slices));
    }

    /** For each id's code, its row; an id on two rows is bad input. */
    private static int[] uniqueRows(Path file, Predictions.SliceColumn ids, String idColumn) {
        int[] row = new int[ids.values().size()];
        java.util.Arrays.fill(row, -1);
        int[] codes = ids.codes();
        for (int i = 0; i < codes.length; i++) {
            if (row[codes[i]] >= 0) {
                throw new MetricsException(file + ": " + Sanitizer.freeText(idColumn) + " '"
                        + Sanitizer.freeText(ids.values().get(codes[i])) + "' is on two rows (data lines "
                        + (row[codes[i]] + 1) + " and " + (i + 1) + "); an id names one example");
            }
            row[codes[i]] = i;
        }
        return row;
    }
}
