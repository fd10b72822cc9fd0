package io.modelgate.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the data rows of one stretch of a predictions CSV, straight from bytes into primitive
 * arrays. One instance per thread; no per-row objects.
 */
final class ChunkParser extends CsvChunkParser {
    /** Which field holds what. */
    record Layout(Task task, List<String> header, int labelField, int scoreField, int[] sliceFields) {
    }

    static final int MAX_SLICE_VALUES = 10_000;

    private final Layout layout;
    private final Task task;
    private final int labelField;
    private final int scoreField;
    private final int[] sliceFields;

    // output
    double[] labels;
    double[] scores;
    int[][] codes;
    private final int base;
    private final boolean growable;
    int rows;
    final ByteDictionary[] dictionaries;

    /**
     * @param base     index of the first row this parser writes
     * @param growable whether to grow the arrays when full (otherwise the caller sized them)
     */
    ChunkParser(Layout layout, double[] labels, double[] scores, int[][] codes, int base, boolean growable) {
        super(layout.header().size());
        this.layout = layout;
        this.task = layout.task();
        this.labelField = layout.labelField();
        this.scoreField = layout.scoreField();
        this.sliceFields = layout.sliceFields();
        this.labels = labels;
        this.scores = scores;
        this.codes = codes;
        this.base = base;
        this.growable = growable;
        this.dictionaries = new ByteDictionary[sliceFields.length];
        for (int i = 0; i < sliceFields.length; i++) {
            dictionaries[i] = new ByteDictionary(layout.header().get(sliceFields[i]));
        }
    }

    @Override
    void row(byte[] buf) throws RowError {
        if (found != fieldCount) {
            throw error("expected " + fieldCount + " fields, found " + found);
        }
        int r = base + rows;
        if (r >= labels.length) {
            if (!growable) {
                throw new IllegalStateException("more rows than counted");
            }
            grow();
        }
        labels[r] = label(buf, starts[labelField], ends[labelField]);
        scores[r] = score(buf, starts[scoreField], ends[scoreField]) + 0.0;
        for (int s = 0; s < sliceFields.length; s++) {
            int f = sliceFields[s];
            ByteDictionary d = dictionaries[s];
            int code;
            if (escaped[f]) {
                int len = unescape(buf, starts[f], ends[f]);
                code = d.code(scratch, 0, len);
            } else {
                code = d.code(buf, starts[f], ends[f]);
            }
            if (d.size() > MAX_SLICE_VALUES) {
                throw error("slice column '" + layout.header().get(f) + "' has more than " + MAX_SLICE_VALUES
                        + " distinct values; slice by a column with fewer values");
            }
            codes[s][r] = code;
        }
        rows++;
    }

    private double label(byte[] buf, int from, int to) throws RowError {
        if (task == Task.CLASSIFICATION) {
            if (to - from == 1) {
                byte b = buf[from];
                if (b == '0') {
                    return 0.0;
                }
                if (b == '1') {
                    return 1.0;
                }
            }
            double v = DoubleParser.parse(buf, from, to);
            if (v == 0.0) {
                return 0.0;
            }
            if (v == 1.0) {
                return 1.0;
            }
            String text = text(buf, from, to).strip();
            if (text.equalsIgnoreCase("true")) {
                return 1.0;
            }
            if (text.equalsIgnoreCase("false")) {
                return 0.0;
            }
            throw error(role("label", labelField) + " '" + shorten(text(buf, from, to))
                    + "' is not 0 or 1 (a classifier's labels must be 0/1)");
        }
        double v = DoubleParser.parse(buf, from, to);
        if (!Double.isFinite(v)) {
            throw notNumber("label", labelField, buf, from, to);
        }
        return v;
    }

    private double score(byte[] buf, int from, int to) throws RowError {
        double v = DoubleParser.parse(buf, from, to);
        if (task == Task.CLASSIFICATION) {
            if (v >= 0.0 && v <= 1.0) {
                return v;
            }
            if (Double.isFinite(v)) {
                throw error(role("score", scoreField) + " '" + shorten(text(buf, from, to))
                        + "' is outside [0, 1] (a classifier's scores must be probabilities of class 1)");
            }
        } else if (Double.isFinite(v)) {
            return v;
        }
        throw notNumber("score", scoreField, buf, from, to);
    }

    private RowError notNumber(String what, int field, byte[] buf, int from, int to) {
        String text = text(buf, from, to);
        if (text.isBlank()) {
            return error(role(what, field) + " is empty (expected a number)");
        }
        String problem = DoubleParser.isNonFiniteWord(text) || Double.isInfinite(DoubleParser.parse(text))
                ? "' is not a finite number" : "' is not a number";
        return error(role(what, field) + " '" + shorten(text) + problem);
    }

    /** {@code score}, or {@code score (column 'p')} when the header names it differently. */
    private String role(String what, int field) {
        String name = layout.header().get(field);
        return name.equals(what) ? what : what + " (column '" + name + "')";
    }

    private void grow() {
        int capacity = Math.max(1024, labels.length + (labels.length >> 1));
        if (capacity < 0 || capacity > Integer.MAX_VALUE - 16) {
            capacity = Integer.MAX_VALUE - 16;
            if (labels.length >= capacity) {
                throw new MetricsException("more than " + capacity + " rows are not supported");
            }
        }
        labels = Arrays.copyOf(labels, capacity);
        scores = Arrays.copyOf(scores, capacity);
        for (int s = 0; s < codes.length; s++) {
            codes[s] = Arrays.copyOf(codes[s], capacity);
        }
    }

    private static String text(byte[] buf, int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }

    static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
