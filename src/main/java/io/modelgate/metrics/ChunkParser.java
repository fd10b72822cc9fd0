package io.modelgate.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the data rows of one stretch of a predictions CSV, straight from bytes into primitive
 * arrays. One instance per thread; no per-row objects.
 */
final class ChunkParser {
    /** Where the bytes come from: a stretch of a file, or a decompressing stream. */
    interface ByteSource {
        /** Like {@link java.io.InputStream#read(byte[], int, int)}: -1 at the end. */
        int read(byte[] b, int off, int len) throws IOException;
    }

    /** A row that cannot be read; {@link #line} counts from the first line this parser saw (1). */
    static final class RowError extends Exception {
        final long line;

        RowError(long line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    /** Which field holds what. */
    record Layout(Task task, List<String> header, int labelField, int scoreField, int[] sliceFields) {
    }

    static final int MAX_SLICE_VALUES = 10_000;
    private static final int BLOCK = 1 << 20;

    private final Layout layout;
    private final Task task;
    private final int fieldCount;
    private final int labelField;
    private final int scoreField;
    private final int[] sliceFields;
    private final int[] starts;
    private final int[] ends;
    private final boolean[] escaped;
    private int found;
    private byte[] scratch = new byte[256];

    // output
    double[] labels;
    double[] scores;
    int[][] codes;
    private final int base;
    private final boolean growable;
    int rows;
    long lines;
    final ByteDictionary[] dictionaries;

    /**
     * @param base     index of the first row this parser writes
     * @param growable whether to grow the arrays when full (otherwise the caller sized them)
     */
    ChunkParser(Layout layout, double[] labels, double[] scores, int[][] codes, int base, boolean growable) {
        this.layout = layout;
        this.task = layout.task();
        this.fieldCount = layout.header().size();
        this.labelField = layout.labelField();
        this.scoreField = layout.scoreField();
        this.sliceFields = layout.sliceFields();
        this.starts = new int[fieldCount];
        this.ends = new int[fieldCount];
        this.escaped = new boolean[fieldCount];
        this.labels = labels;
        this.scores = scores;
        this.codes = codes;
        this.base = base;
        this.growable = growable;
        this.dictionaries = new ByteDictionary[sliceFields.length];
        for (int i = 0; i < sliceFields.length; i++) {
            dictionaries[i] = new ByteDictionary();
        }
    }

    /** Parses everything {@code source} gives, after the bytes {@code first[0, firstLength)}. */
    void parse(byte[] first, int firstLength, ByteSource source) throws IOException, RowError {
        byte[] buf = new byte[Math.max(BLOCK, firstLength)];
        System.arraycopy(first, 0, buf, 0, firstLength);
        int len = firstLength;
        boolean eof = false;
        while (true) {
            while (!eof && len < buf.length) {
                int n = source.read(buf, len, buf.length - len);
                if (n < 0) {
                    eof = true;
                } else {
                    len += n;
                }
            }
            int p = 0;
            while (p < len) {
                byte b0 = buf[p];
                if (b0 == '\n') {
                    lines++;
                    p++;
                    continue;
                }
                if (b0 == '\r') {
                    if (p + 1 < len) {
                        if (buf[p + 1] == '\n') {
                            lines++;
                            p += 2;
                            continue;
                        }
                    } else if (eof) {
                        lines++;
                        p++;
                        continue;
                    } else {
                        break;
                    }
                }
                int end = split(buf, p, len, eof);
                if (end < 0) {
                    break;
                }
                row(buf);
                lines++;
                p = end + 1;
            }
            if (eof) {
                return;
            }
            int rest = len - Math.min(p, len);
            if (rest == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            } else if (rest > 0) {
                System.arraycopy(buf, p, buf, 0, rest);
            }
            len = rest;
        }
    }

    /**
     * Finds the fields of the line starting at {@code p}; returns the index of its newline (or
     * {@code limit} at the end of the input), or -1 when the line is not complete in the buffer.
     */
    private int split(byte[] buf, int p, int limit, boolean eof) throws RowError {
        int n = 0;
        int i = p;
        while (true) {
            int fs;
            int fe;
            boolean esc = false;
            if (i < limit && buf[i] == '"') {
                int k = i + 1;
                while (true) {
                    if (k >= limit) {
                        if (eof) {
                            throw error("field " + (n + 1) + " has an opening quote but no closing quote");
                        }
                        return -1;
                    }
                    byte b = buf[k];
                    if (b == '"') {
                        if (k + 1 >= limit && !eof) {
                            return -1;
                        }
                        if (k + 1 < limit && buf[k + 1] == '"') {
                            esc = true;
                            k += 2;
                            continue;
                        }
                        break;
                    }
                    if (b == '\n') {
                        throw error("field " + (n + 1) + " has an opening quote but no closing quote on the same line"
                                + " (line breaks inside quoted fields are not supported)");
                    }
                    k++;
                }
                fs = i + 1;
                fe = k;
                i = k + 1;
                if (i < limit && buf[i] == '\r') {
                    i++;
                }
                if (i >= limit) {
                    if (!eof) {
                        return -1;
                    }
                } else if (buf[i] != ',' && buf[i] != '\n') {
                    throw error("unexpected text after the closing quote of field " + (n + 1));
                }
            } else {
                fs = i;
                while (i < limit) {
                    byte b = buf[i];
                    if (b == ',' || b == '\n') {
                        break;
                    }
                    i++;
                }
                if (i >= limit && !eof) {
                    return -1;
                }
                fe = i;
                if ((i >= limit || buf[i] == '\n') && fe > fs && buf[fe - 1] == '\r') {
                    fe--;
                }
            }
            if (n < fieldCount) {
                starts[n] = fs;
                ends[n] = fe;
                escaped[n] = esc;
            }
            n++;
            if (i >= limit || buf[i] == '\n') {
                found = n;
                return Math.min(i, limit);
            }
            i++;
        }
    }

    private void row(byte[] buf) throws RowError {
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

    private int unescape(byte[] buf, int from, int to) {
        if (scratch.length < to - from) {
            scratch = new byte[Math.max(scratch.length * 2, to - from)];
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            scratch[n++] = buf[i];
            if (buf[i] == '"') {
                i++; // skip the second quote of a doubled pair
            }
        }
        return n;
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

    private RowError error(String message) {
        return new RowError(lines + 1, message);
    }

    private static String text(byte[] buf, int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }

    static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
