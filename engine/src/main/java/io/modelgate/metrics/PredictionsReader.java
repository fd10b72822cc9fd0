package io.modelgate.metrics;

import io.modelgate.common.InputFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a predictions CSV (optionally gzip-compressed) into primitive arrays.
 *
 * <p>The file has a header row; the label, score and slice columns are found by name. A gzip file
 * is recognised by its first two bytes, whatever its name. Plain files are split at line boundaries
 * and parsed on all cores; every problem is reported as one {@link MetricsException} line naming
 * the file, the line and what was expected.
 */
public final class PredictionsReader {
    private static final int HEADER_BLOCK = 1 << 16;
    /** Below this many bytes a plain file is parsed on one thread. */
    private static final long PARALLEL_MIN_BYTES = 4L << 20;

    private PredictionsReader() {
    }

    public static Predictions read(Path file, PredictionsFormat format) {
        return InputFiles.read(file, MetricsException::new, in -> {
            if (in.size() == 0) {
                throw new MetricsException(in.name() + ": file is empty");
            }
            return in.gzip() ? readGzip(in, format) : readPlain(in, format);
        });
    }

    // ---------------------------------------------------------------- header

    /** The header line, and what was read past it. */
    record Header(List<String> names, long line, long dataOffset, byte[] rest, int restLength) {
    }

    static Header readHeader(String name, InputStream in) throws IOException {
        byte[] buf = new byte[HEADER_BLOCK];
        int len = 0;
        boolean eof = false;
        long consumedBefore = 0; // bytes dropped from buf (blank lines)
        long line = 1;
        int p = 0;
        boolean first = true;
        while (true) {
            if (!eof && len < buf.length) {
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    eof = true;
                } else {
                    len += n;
                }
            }
            if (first && len >= 3 && (buf[0] & 0xff) == 0xef && (buf[1] & 0xff) == 0xbb && (buf[2] & 0xff) == 0xbf) {
                p = 3; // UTF-8 byte order mark
            }
            if (first && (len >= 3 || eof)) {
                first = false;
            } else if (first) {
                continue;
            }
            // skip blank lines
            while (true) {
                int q = p;
                while (q < len && (buf[q] == '\r' || buf[q] == ' ' || buf[q] == '\t')) {
                    q++;
                }
                if (q < len && buf[q] == '\n') {
                    p = q + 1;
                    line++;
                } else {
                    break;
                }
            }
            int nl = -1;
            for (int i = p; i < len; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl >= 0 || eof) {
                int end = nl >= 0 ? nl : len;
                String text = new String(buf, p, end - p, StandardCharsets.UTF_8);
                if (text.isBlank()) {
                    throw new MetricsException(name + ": file is empty");
                }
                List<String> names = splitHeader(name, line, text);
                requireUnique(name, line, names);
                int restFrom = nl >= 0 ? nl + 1 : len;
                byte[] rest = Arrays.copyOfRange(buf, restFrom, Math.max(restFrom, len));
                return new Header(names, line, consumedBefore + restFrom, rest, rest.length);
            }
            if (len == buf.length) {
                if (p > 0) {
                    System.arraycopy(buf, p, buf, 0, len - p);
                    consumedBefore += p;
                    len -= p;
                    p = 0;
                } else {
                    if (buf.length > CsvChunkParser.MAX_LINE_BYTES) {
                        throw new MetricsException(name + " line " + line + ": header line is longer than "
                                + (CsvChunkParser.MAX_LINE_BYTES >> 20) + " MB");
                    }
                    buf = Arrays.copyOf(buf, Math.min(buf.length * 2, CsvChunkParser.MAX_LINE_BYTES + 1));
                }
            }
        }
    }

    /**
     * A column named twice is an error: which of the two a reader would take is a guess (it used to
     * be the first), and the other's values would be silently ignored.
     */
    static void requireUnique(String file, long line, List<String> names) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Integer before = seen.putIfAbsent(names.get(i), i);
            if (before != null) {
                throw new MetricsException(file + " line " + line + ": column '" + names.get(i)
                        + "' appears twice in the header (fields " + (before + 1) + " and " + (i + 1)
                        + "); give each column its own name");
            }
        }
    }

    /** Splits the header line, honouring quotes ({@code "a,b"}, {@code ""} for a quote). */
    static List<String> splitHeader(String file, long line, String text) {
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        List<String> names = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (true) {
            field.setLength(0);
            if (i < n && text.charAt(i) == '"') {
                int k = i + 1;
                while (true) {
                    if (k >= n) {
                        throw new MetricsException(file + " line " + line + ": header field " + (names.size() + 1)
                                + " has an opening quote but no closing quote");
                    }
                    char c = text.charAt(k);
                    if (c == '"') {
                        if (k + 1 < n && text.charAt(k + 1) == '"') {
                            field.append('"');
                            k += 2;
                            continue;
                        }
                        break;
                    }
                    field.append(c);
                    k++;
                }
                i = k + 1;
                if (i < n && text.charAt(i) != ',') {
                    throw new MetricsException(file + " line " + line
                            + ": unexpected text after the closing quote of header field " + (names.size() + 1));
                }
                names.add(field.toString());
            } else {
                int comma = text.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                names.add(text.substring(i, end).strip());
                i = end;
            }
            if (i >= n) {
                return names;
            }
            if (names.size() >= CsvChunkParser.MAX_COLUMNS) {
                throw new MetricsException(file + " line " + line + ": the header has more than "
                        + CsvChunkParser.MAX_COLUMNS + " columns");
            }
            i++; // the comma
        }
    }

    private static ChunkParser.Layout layout(String name, long line, List<String> header, PredictionsFormat format) {
        int label = column(name, header, format.labelColumn(), "--label-column");
        int score = column(name, header, format.scoreColumn(), "--score-column");
        int[] slices = new int[format.sliceColumns().size()];
        for (int i = 0; i < slices.length; i++) {
            slices[i] = column(name, header, format.sliceColumns().get(i), "--slice-column");
        }
        if (label == score) {
            throw new MetricsException(name + " line " + line + ": the label and the score are the same column '"
                    + header.get(label) + "'; set them with --label-column and --score-column");
        }
        return new ChunkParser.Layout(format.task(), List.copyOf(header), label, score, slices);
    }

    private static int column(String name, List<String> header, String wanted, String flag) {
        int i = header.indexOf(wanted);
        if (i < 0) {
            i = header.indexOf(wanted.strip());
        }
        if (i < 0) {
            throw new MetricsException(name + ": no column '" + wanted + "' in header (columns: "
                    + String.join(", ", header) + "); set it with " + flag);
        }
        return i;
    }

    // ---------------------------------------------------------------- plain files, in parallel

    private static Predictions readPlain(InputFiles.Input in, PredictionsFormat format) throws IOException {
        String name = in.name();
        FileChannel channel = in.channel();
        long size = in.size();
        Header header = readHeader(name, in.stretch(0, size));
        ChunkParser.Layout layout = layout(name, header.line(), header.names(), format);
        long dataStart = header.dataOffset();
        long[] bounds = chunkBounds(channel, dataStart, size);
        int chunks = bounds.length - 1;

        // pass 1: count lines, so that the arrays are allocated once, at their final size
        long[] newlines = new long[chunks];
        long[] capacity = new long[chunks];
        IOException[] ioFailure = new IOException[chunks];
        Parallel.forEach(chunks, c -> {
            try {
                newlines[c] = countNewlines(in.stretch(bounds[c], bounds[c + 1]));
                capacity[c] = newlines[c] + (c == chunks - 1 && endsWithoutNewline(channel, bounds[c], size) ? 1 : 0);
            } catch (IOException e) {
                ioFailure[c] = e;
            }
        });
        rethrow(ioFailure);
        long total = 0;
        long[] offsets = new long[chunks];
        for (int c = 0; c < chunks; c++) {
            offsets[c] = total;
            total += capacity[c];
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new MetricsException(name + ": more than " + (Integer.MAX_VALUE - 16) + " rows are not supported");
        }
        int n = (int) total;
        double[] labels = new double[n];
        double[] scores = new double[n];
        int[][] codes = new int[layout.sliceFields().length][n];

        // pass 2: parse
        ChunkParser[] parsers = new ChunkParser[chunks];
        CsvChunkParser.RowError[] rowErrors = new CsvChunkParser.RowError[chunks];
        Parallel.forEach(chunks, c -> {
            ChunkParser parser = new ChunkParser(layout, labels, scores, codes, (int) offsets[c], false);
            parsers[c] = parser;
            try {
                parser.parse(new byte[0], 0, in.stretch(bounds[c], bounds[c + 1])::read);
            } catch (CsvChunkParser.RowError e) {
                rowErrors[c] = e;
            } catch (IOException e) {
                ioFailure[c] = e;
            }
        });
        rethrow(ioFailure);
        long lineOfChunk = header.line() + 1;
        for (int c = 0; c < chunks; c++) {
            if (rowErrors[c] != null) {
                throw new MetricsException(name + " line " + (lineOfChunk + rowErrors[c].line - 1) + ": "
                        + rowErrors[c].getMessage());
            }
            lineOfChunk += newlines[c];
        }
        return assemble(name, layout, parsers, offsets, labels, scores, codes);
    }

    /** Joins what the chunk parsers wrote: closes gaps left by blank lines and unifies slice codes. */
    private static Predictions assemble(String name, ChunkParser.Layout layout, ChunkParser[] parsers, long[] offsets,
                                        double[] labels, double[] scores, int[][] codes) {
        int slices = layout.sliceFields().length;
        List<List<String>> values = new ArrayList<>();
        List<Map<String, Integer>> index = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            values.add(new ArrayList<>());
            index.add(new HashMap<>());
        }
        int rows = 0;
        for (int c = 0; c < parsers.length; c++) {
            ChunkParser parser = parsers[c];
            int from = (int) offsets[c];
            int count = parser.rows;
            if (from != rows) {
                System.arraycopy(labels, from, labels, rows, count);
                System.arraycopy(scores, from, scores, rows, count);
                for (int s = 0; s < slices; s++) {
                    System.arraycopy(codes[s], from, codes[s], rows, count);
                }
            }
            for (int s = 0; s < slices; s++) {
                List<String> local = parser.dictionaries[s].values();
                int[] map = new int[local.size()];
                boolean identity = true;
                for (int v = 0; v < map.length; v++) {
                    String value = local.get(v);
                    List<String> global = values.get(s);
                    Integer code = index.get(s).get(value);
                    if (code == null) {
                        code = global.size();
                        global.add(value);
                        index.get(s).put(value, code);
                    }
                    map[v] = code;
                    identity &= code == v;
                }
                if (global(values, s) > ChunkParser.MAX_SLICE_VALUES) {
                    throw new MetricsException(name + ": slice column '" + layout.header().get(layout.sliceFields()[s])
                            + "' has more than " + ChunkParser.MAX_SLICE_VALUES
                            + " distinct values; slice by a column with fewer values");
                }
                if (!identity) {
                    int[] col = codes[s];
                    for (int i = rows; i < rows + count; i++) {
                        col[i] = map[col[i]];
                    }
                }
            }
            rows += count;
        }
        if (rows == 0) {
            throw new MetricsException(name + ": has a header but no rows");
        }
        if (rows != labels.length) {
            labels = Arrays.copyOf(labels, rows);
            scores = Arrays.copyOf(scores, rows);
            for (int s = 0; s < slices; s++) {
                codes[s] = Arrays.copyOf(codes[s], rows);
            }
        }
        List<Predictions.SliceColumn> columns = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            columns.add(new Predictions.SliceColumn(layout.header().get(layout.sliceFields()[s]), values.get(s), codes[s]));
        }
        return new Predictions(layout.task(), labels, scores, columns);
    }

    private static int global(List<List<String>> values, int s) {
        return values.get(s).size();
    }

    /** Chunk boundaries: {@code [start, b1, ..., end]}, each inner one just after a newline. */
    static long[] chunkBounds(FileChannel channel, long start, long end) throws IOException {
        return chunkBounds(channel, start, end, 1);
    }

    /** Chunk boundaries, {@code perThread} chunks per core for a big file. */
    static long[] chunkBounds(FileChannel channel, long start, long end, int perThread) throws IOException {
        int wanted = end - start < PARALLEL_MIN_BYTES ? 1 : Parallel.threads() * perThread;
        long[] bounds = new long[wanted + 1];
        bounds[0] = start;
        int count = 1;
        ByteBuffer window = ByteBuffer.allocate(1 << 16);
        for (int k = 1; k < wanted; k++) {
            long pos = Math.max(start + (end - start) * k / wanted, bounds[count - 1]);
            long cut = -1;
            // No further than a line may be long: past that, the stretch before ends in a line the
            // parser refuses anyway (a file of zeros must not be scanned to its end here).
            long giveUp = pos + CsvChunkParser.MAX_LINE_BYTES + window.capacity();
            while (pos < end && cut < 0 && pos < giveUp) {
                window.clear();
                int n = channel.read(window, pos);
                if (n <= 0) {
                    break;
                }
                byte[] a = window.array();
                for (int i = 0; i < n; i++) {
                    if (a[i] == '\n') {
                        cut = pos + i + 1;
                        break;
                    }
                }
                pos += n;
            }
            if (cut < 0 || cut >= end) {
                break;
            }
            if (cut > bounds[count - 1]) {
                bounds[count++] = cut;
            }
        }
        bounds[count++] = end;
        return Arrays.copyOf(bounds, count);
    }

    /**
     * Counts newline bytes, a block at a time. It stops early at a stretch without newlines longer than
     * a line may be (a file of zeros, a sparse file): the parser then reports that line, and the rows
     * after it are never needed.
     */
    static long countNewlines(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 20];
        long count = 0;
        long withoutNewline = 0;
        int n;
        while ((n = readFully(in, buf)) > 0) {
            int found = newlines(buf, n);
            count += found;
            withoutNewline = found == 0 ? withoutNewline + n : 0;
            if (withoutNewline > CsvChunkParser.MAX_LINE_BYTES + (long) buf.length) {
                break;
            }
        }
        return count;
    }

    /**
     * A plain loop in a method of its own, called once per block: compiled quickly and well. (Eight
     * bytes at a time through a VarHandle was slower on a cold JVM, where the handle is interpreted.)
     */
    static int newlines(byte[] buf, int n) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                count++;
            }
        }
        return count;
    }

    private static int readFully(InputStream in, byte[] buf) throws IOException {
        int len = 0;
        while (len < buf.length) {
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            len += n;
        }
        return len;
    }

    static boolean endsWithoutNewline(FileChannel channel, long from, long size) throws IOException {
        if (size <= from) {
            return false;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) != '\n';
    }

    static void rethrow(IOException[] failures) throws IOException {
        for (IOException e : failures) {
            if (e != null) {
                throw e;
            }
        }
    }

    // ---------------------------------------------------------------- gzip, one thread

    private static Predictions readGzip(InputFiles.Input input, PredictionsFormat format) throws IOException {
        String name = input.name();
        try (InputStream in = input.content()) {
            Header header = readHeader(name, in);
            ChunkParser.Layout layout = layout(name, header.line(), header.names(), format);
            int guess = initialRows(header, input.size());
            int slices = layout.sliceFields().length;
            ChunkParser parser = new ChunkParser(layout, new double[guess], new double[guess], new int[slices][guess],
                    0, true);
            try {
                parser.parse(header.rest(), header.restLength(), in::read);
            } catch (CsvChunkParser.RowError e) {
                throw new MetricsException(name + " line " + (header.line() + e.line) + ": " + e.getMessage());
            }
            return assemble(name, layout, new ChunkParser[] {parser}, new long[] {0},
                    parser.labels, parser.scores, parser.codes);
        }
    }

    /** A CSV file of numbers compresses to about a third (more text compresses more); the arrays start at that guess and grow. */
    private static final int TYPICAL_RATIO = 3;

    /**
     * Rows to allocate for a gzip file before reading it: its compressed size (what is on disk, not
     * what its trailer claims) times a typical ratio, over the length of its first lines. Too small
     * costs a few copies as the arrays grow; it is never more than a few times the file's own size.
     */
    static int initialRows(Header header, long compressedSize) {
        int lines = 0;
        byte[] rest = header.rest();
        for (int i = 0; i < header.restLength(); i++) {
            if (rest[i] == '\n') {
                lines++;
            }
        }
        if (lines < 8) {
            return 1024;
        }
        double perLine = (double) header.restLength() / lines;
        long guess = (long) (compressedSize * (double) TYPICAL_RATIO / perLine) + 1024;
        return (int) Math.min(guess, 1L << 26);
    }
}
