package io.modelgate.metrics;

import java.io.IOException;
import java.util.Arrays;

/**
 * The part of parsing a CSV stretch that does not depend on what the columns mean: reading blocks,
 * finding lines and splitting them into fields (quotes honoured). Subclasses turn each row's fields
 * into values; one instance per thread, no per-row objects.
 */
abstract class CsvChunkParser {
    /** Where the bytes come from: a stretch of a file, or a decompressing stream. */
    interface ByteSource {
        /** Like {@link java.io.InputStream#read(byte[], int, int)}: -1 at the end. */
        int read(byte[] b, int off, int len) throws IOException;
    }

    /** A row that cannot be read; {@link #line} counts from the first line this parser saw (1). */
    static final class RowError extends Exception {
        private static final long serialVersionUID = 1L;

        final long line;

        RowError(long line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    private static final int BLOCK = 1 << 20;
    /**
     * The longest line (header or row) read, newline excluded: a file without line breaks (zeros, a
     * binary file, old Mac CR endings) is an error at its first long line, not a buffer that doubles
     * until the heap is gone.
     */
    static final int MAX_LINE_BYTES = 16 << 20;
    /** The most columns a header may name: each parser keeps a few ints per column. */
    static final int MAX_COLUMNS = 100_000;
    /**
     * The longest text value kept (a slice or categorical value): checked once per distinct value, so
     * it costs nothing per row.
     */
    static final int MAX_VALUE_BYTES = 64 << 10;

    final int fieldCount;
    final int[] starts;
    final int[] ends;
    final boolean[] escaped;
    int found;
    long lines;

    CsvChunkParser(int fieldCount) {
        this.fieldCount = fieldCount;
        this.starts = new int[fieldCount];
        this.ends = new int[fieldCount];
        this.escaped = new boolean[fieldCount];
    }

    /** Turns the fields just found ({@link #starts}, {@link #ends}, {@link #found}) into values. */
    abstract void row(byte[] buf) throws RowError;

    /** Where {@link #unescape} puts a quoted field's text; grown as needed, kept for the next field. */
    byte[] scratch = new byte[256];

    /** Copies a quoted field's content into {@link #scratch} with each doubled quote made one; returns its length. */
    final int unescape(byte[] buf, int from, int to) {
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

    /**
     * Optionally reads the whole line starting at {@code p} in one pass, for subclasses whose rows are
     * mostly simple: returns the index of its newline after storing the row, or -1 to leave the line
     * to {@link #split} and {@link #row} (anything unusual or an error). {@code buf[limit - 1]} is a
     * newline, so a scan that stops at a newline needs no bounds test of its own. A line given up on
     * may have stored some values of its row; {@link #row} then overwrites them.
     */
    int fastRow(byte[] buf, int p, int limit) {
        return -1;
    }

    /** True to stop reading at the next block: the result is being thrown away. */
    boolean stopped() {
        return false;
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
            int p;
            try {
                p = consume(buf, len, eof);
            } catch (ByteDictionary.BadValue e) {
                throw error(e.getMessage());
            }
            if (eof || stopped()) {
                return;
            }
            int rest = len - Math.min(p, len);
            if (rest == buf.length) {
                if (buf.length > MAX_LINE_BYTES) {
                    throw error("line is longer than " + (MAX_LINE_BYTES >> 20) + " MB (is this a CSV file?)");
                }
                buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE_BYTES + 1));
            } else if (rest > 0) {
                System.arraycopy(buf, p, buf, 0, rest);
            }
            len = rest;
        }
    }

    /**
     * Parses the complete lines of {@code buf[0, len)} (and the last, unterminated one at the end of the
     * input); returns where the first incomplete line starts. A method of its own, called once per
     * block: the JIT then sees its loop end many times before it compiles it, instead of compiling a
     * loop that runs for the whole stretch and throwing the code away when it first ends.
     */
    private int consume(byte[] buf, int len, boolean eof) throws RowError {
        int lastLineEnd = len; // just after the block's last newline: lines before it may use fastRow
        while (lastLineEnd > 0 && buf[lastLineEnd - 1] != '\n') {
            lastLineEnd--;
        }
        int p = 0;
        // Up to the last complete line unless at the end: the loop then ends by its test in every
        // block, not by a break the compiled code has not seen.
        int stop = eof ? len : lastLineEnd;
        while (p < stop) {
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
            int end = p < lastLineEnd ? fastRow(buf, p, lastLineEnd) : -1;
            if (end < 0) {
                end = split(buf, p, len, eof);
                if (end < 0) {
                    break;
                }
                row(buf);
            }
            lines++;
            p = end + 1;
        }
        return p;
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

    RowError error(String message) {
        return new RowError(lines + 1, message);
    }

}
