package io.modelgate.metrics;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads chosen columns of any CSV (gzip allowed) into a {@link CsvTable}, with the same machinery as
 * {@link PredictionsReader}: a plain file is split at line boundaries and parsed on all cores, a gzip
 * file on one thread; every problem is one {@link MetricsException} line naming file, line and column.
 */
public final class CsvTableReader {
    /** How much of a file {@link #sniff} looks at. */
    private static final int SNIFF_BYTES = 1 << 20;
    /**
     * A big file is cut into this many stretches per core: when one core is slower (another process,
     * the JIT compiling), the other takes more of the stretches instead of waiting at the end.
     */
    private static final int CHUNKS_PER_THREAD = 4;

    private CsvTableReader() {
    }

    /**
     * The header and, per column, whether the first rows (up to 1 MB) look numeric: every value that is
     * not a missing-value word parses as a finite number, and there is at least one.
     */
    public static Map<String, Boolean> sniff(Path file) {
        return open(file, (name, channel, size, gzip) -> {
            InputStream in = stream(channel, size, gzip);
            try (in) {
                PredictionsReader.Header header = PredictionsReader.readHeader(name, in);
                byte[] buf = Arrays.copyOf(header.rest(), Math.max(SNIFF_BYTES, header.restLength()));
                int len = header.restLength();
                int n;
                while (len < buf.length && (n = in.read(buf, len, buf.length - len)) > 0) {
                    len += n;
                }
                boolean more = in.read() >= 0;
                if (more) { // cut at the last complete line
                    int cut = len;
                    while (cut > 0 && buf[cut - 1] != '\n') {
                        cut--;
                    }
                    len = cut;
                }
                List<String> names = header.names();
                SniffParser parser = new SniffParser(names.size());
                try {
                    parser.parse(buf, len, (b, off, l) -> -1);
                } catch (CsvChunkParser.RowError e) {
                    throw new MetricsException(name + " line " + (header.line() + e.line) + ": " + e.getMessage());
                }
                Map<String, Boolean> out = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    out.putIfAbsent(names.get(i), parser.number[i] && !parser.text[i]);
                }
                return out;
            }
        });
    }

    /** The column names of a CSV file's header (gzip allowed), for a file whose column types are known. */
    public static List<String> header(Path file) {
        return open(file, (name, channel, size, gzip) -> {
            InputStream in = stream(channel, size, gzip);
            try (in) {
                return PredictionsReader.readHeader(name, in).names();
            }
        });
    }

    /**
     * Reads the named columns.
     *
     * @param columns    the columns to read, in order, and how
     * @param numberHint appended to the message when a number column holds text (what the user can do)
     */
    public static CsvTable read(Path file, Map<String, ColumnKind> columns, String numberHint) {
        return open(file, (name, channel, size, gzip) -> gzip ? readGzip(name, channel, size, columns, numberHint)
                : readPlain(name, channel, size, columns, numberHint));
    }

    /** The whole file, decompressed when it is gzip. */
    private static InputStream stream(FileChannel channel, long size, boolean gzip) throws IOException {
        InputStream plain = new PredictionsReader.ChannelStream(channel, 0, size);
        return gzip ? new GZIPInputStream(plain, 1 << 16) : plain;
    }

    private interface Body<T> {
        T read(String name, FileChannel channel, long size, boolean gzip) throws IOException;
    }

    private static <T> T open(Path file, Body<T> body) {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new MetricsException(name + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new MetricsException(name + ": is a directory, not a CSV file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                throw new MetricsException(name + ": file is empty");
            }
            ByteBuffer magic = ByteBuffer.allocate(2);
            while (magic.hasRemaining() && channel.read(magic, magic.position()) > 0) {
                // read the first two bytes
            }
            boolean gzip = magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b;
            return body.read(name, channel, size, gzip);
        } catch (NoSuchFileException e) {
            throw new MetricsException(name + ": no such file", e);
        } catch (ZipException | EOFException e) {
            throw new MetricsException(name + ": gzip data is truncated or corrupt (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new MetricsException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Field indices of the number and the text columns, in the order asked. */
    private record Layout(List<String> header, List<String> numberNames, int[] numberFields, List<String> textNames,
                          int[] textFields, List<String> order) {
    }

    private static Layout layout(String name, List<String> header, Map<String, ColumnKind> columns) {
        List<String> numberNames = new ArrayList<>();
        List<String> textNames = new ArrayList<>();
        List<Integer> numberFields = new ArrayList<>();
        List<Integer> textFields = new ArrayList<>();
        columns.forEach((column, kind) -> {
            int i = header.indexOf(column);
            if (i < 0) {
                throw new MetricsException(name + ": no column '" + column + "' in header (columns: "
                        + String.join(", ", header) + ")");
            }
            if (kind == ColumnKind.NUMBER) {
                numberNames.add(column);
                numberFields.add(i);
            } else {
                textNames.add(column);
                textFields.add(i);
            }
        });
        return new Layout(header, numberNames, numberFields.stream().mapToInt(Integer::intValue).toArray(), textNames,
                textFields.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(columns.keySet()));
    }

    private static CsvTable readPlain(String name, FileChannel channel, long size, Map<String, ColumnKind> columns,
                                      String hint) throws IOException {
        PredictionsReader.Header header = PredictionsReader.readHeader(name,
                new PredictionsReader.ChannelStream(channel, 0, size));
        Layout layout = layout(name, header.names(), columns);
        long[] bounds = PredictionsReader.chunkBounds(channel, header.dataOffset(), size, CHUNKS_PER_THREAD);
        int chunks = bounds.length - 1;
        // Each stretch gets a region of the columns sized from the length of its first lines, a little
        // more than it should need; the regions are closed up at the end. Cheaper than reading the file
        // once more to count its lines. A stretch that outgrows its region moves to columns of its own,
        // so a region may be too small; it is never bigger than the memory budget allows.
        int fields = header.names().size();
        long[] wanted = new long[chunks];
        long estimated = 0;
        for (int c = 0; c < chunks; c++) {
            // a line holds at least its separators and newline: one byte per field
            double lineBytes = Math.max(fields, averageLineBytes(channel, bounds[c], bounds[c + 1]));
            wanted[c] = 64 + (long) ((bounds[c + 1] - bounds[c]) / lineBytes * REGION_SLACK);
            estimated += wanted[c];
        }
        long rowBytes = 8L * layout.numberFields().length + 4L * layout.textFields().length;
        long budget = Runtime.getRuntime().maxMemory() / 3 / Math.max(1, rowBytes);
        double shrink = estimated > budget ? (double) budget / estimated : 1.0;
        long[] offsets = new long[chunks + 1];
        for (int c = 0; c < chunks; c++) {
            offsets[c + 1] = offsets[c] + (long) (wanted[c] * shrink);
        }
        int capacity = (int) Math.min(Integer.MAX_VALUE - 16, offsets[chunks]);
        double[][] numbers = new double[layout.numberFields().length][];
        int[][] codes = new int[layout.textFields().length][];
        // Allocating a column means zeroing (and mapping) megabytes: every core does its share.
        Parallel.forEach(numbers.length + codes.length, k -> {
            if (k < numbers.length) {
                numbers[k] = new double[capacity];
            } else {
                codes[k - numbers.length] = new int[capacity];
            }
        });
        TableChunkParser[] parsers = new TableChunkParser[chunks];
        CsvChunkParser.RowError[] rowErrors = new CsvChunkParser.RowError[chunks];
        IOException[] ioFailure = new IOException[chunks];
        Parallel.forEach(chunks, c -> {
            int from = (int) Math.min(capacity, offsets[c]);
            int to = (int) Math.min(capacity, offsets[c + 1]);
            TableChunkParser parser = new TableChunkParser(layout.header(), layout.numberFields(), layout.textFields(),
                    hint, numbers, codes, from, numbers.length + codes.length == 0 ? Integer.MAX_VALUE : to, false);
            parsers[c] = parser;
            try {
                parser.parse(new byte[0], 0, new PredictionsReader.ChannelStream(channel, bounds[c], bounds[c + 1])::read);
            } catch (CsvChunkParser.RowError e) {
                rowErrors[c] = e;
            } catch (IOException e) {
                ioFailure[c] = e;
            }
        });
        PredictionsReader.rethrow(ioFailure);
        // A stretch before the first bad one was read to its end, so its line count is complete.
        long lineOfChunk = header.line() + 1;
        for (int c = 0; c < chunks; c++) {
            if (rowErrors[c] != null) {
                throw new MetricsException(name + " line " + (lineOfChunk + rowErrors[c].line - 1) + ": "
                        + rowErrors[c].getMessage());
            }
            lineOfChunk += parsers[c].lines;
        }
        long rows = 0;
        boolean anyMoved = false;
        for (TableChunkParser parser : parsers) {
            rows += parser.rows;
            anyMoved |= parser.moved;
        }
        boolean moved = anyMoved;
        if (rows > Integer.MAX_VALUE - 16) {
            throw new MetricsException(name + ": more than " + (Integer.MAX_VALUE - 16) + " rows are not supported");
        }
        int total = (int) rows;
        long[] starts = Arrays.copyOf(offsets, chunks);
        Parallel.forEach(numbers.length + codes.length, k -> {
            if (k < numbers.length) {
                numbers[k] = closeUp(parsers, starts, moved, total, numbers[k], double[]::new, p -> p.numbers[k]);
            } else {
                int t = k - numbers.length;
                codes[t] = closeUp(parsers, starts, moved, total, codes[t], int[]::new, p -> p.codes[t]);
            }
        });
        return assemble(name, layout, parsers, numbers, codes, total);
    }

    /** A stretch's region is this much bigger than its estimated line count (plus 64 lines). */
    private static final double REGION_SLACK = 1.03;

    /** Bytes per line in the first 16 KB of {@code [from, to)} (at least 1): what a stretch's region is sized by. */
    private static double averageLineBytes(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer window = ByteBuffer.allocate((int) Math.min(1 << 14, Math.max(0, to - from)));
        while (window.hasRemaining() && channel.read(window, from + window.position()) > 0) {
            // fill the window
        }
        int lines = PredictionsReader.newlines(window.array(), window.position());
        return lines == 0 ? Math.max(1, window.position()) : Math.max(1.0, (double) window.position() / lines);
    }

    /**
     * A column ({@code double[]} or {@code int[]}) with the stretches' rows one after the other from
     * row 0: moved down in place in {@code shared}, or, when a stretch outgrew its region, copied to a
     * new array of {@code total} rows.
     *
     * @param own a stretch's own column, for a stretch that moved
     */
    private static <A> A closeUp(TableChunkParser[] parsers, long[] starts, boolean moved, int total, A shared,
                                 IntFunction<A> fresh, Function<TableChunkParser, A> own) {
        A out = moved ? fresh.apply(total) : shared;
        int at = 0;
        for (int c = 0; c < parsers.length; c++) {
            A from = parsers[c].moved ? own.apply(parsers[c]) : shared;
            int start = parsers[c].moved ? 0 : (int) starts[c];
            if (from != out || start != at) {
                System.arraycopy(from, start, out, at, parsers[c].rows);
            }
            at += parsers[c].rows;
        }
        return out;
    }

    private static CsvTable readGzip(String name, FileChannel channel, long size, Map<String, ColumnKind> columns,
                                     String hint) throws IOException {
        long expectedBytes = PredictionsReader.gzipSizeHint(channel, size);
        try (InputStream in = stream(channel, size, true)) {
            PredictionsReader.Header header = PredictionsReader.readHeader(name, in);
            Layout layout = layout(name, header.names(), columns);
            int guess = PredictionsReader.estimateRows(header, expectedBytes);
            TableChunkParser parser = new TableChunkParser(layout.header(), layout.numberFields(), layout.textFields(),
                    hint, new double[layout.numberFields().length][guess], new int[layout.textFields().length][guess],
                    0, guess, true);
            try {
                parser.parse(header.rest(), header.restLength(), in::read);
            } catch (CsvChunkParser.RowError e) {
                throw new MetricsException(name + " line " + (header.line() + e.line) + ": " + e.getMessage());
            }
            return assemble(name, layout, new TableChunkParser[] {parser}, parser.numbers, parser.codes, parser.rows);
        }
    }

    /**
     * Gives text values one code per file (a missing-value word becomes -1) and counts missing values;
     * the columns hold the stretches' rows one after the other from row 0, {@code rows} in all.
     */
    private static CsvTable assemble(String name, Layout layout, TableChunkParser[] parsers, double[][] numbers,
                                     int[][] codes, int rows) {
        int texts = layout.textFields().length;
        List<List<String>> values = new ArrayList<>();
        for (int s = 0; s < texts; s++) {
            List<String> global = new ArrayList<>();
            Map<String, Integer> index = new HashMap<>();
            int at = 0;
            for (TableChunkParser parser : parsers) {
                List<String> local = parser.dictionaries[s].values();
                int[] map = new int[local.size()];
                boolean identity = true;
                for (int v = 0; v < map.length; v++) {
                    String value = local.get(v);
                    int code;
                    if (TableChunkParser.MISSING.contains(value.strip().toLowerCase(Locale.ROOT))) {
                        code = -1;
                    } else {
                        Integer known = index.get(value);
                        if (known == null) {
                            known = global.size();
                            global.add(value);
                            index.put(value, known);
                        }
                        code = known;
                    }
                    map[v] = code;
                    identity &= code == v;
                }
                if (!identity) {
                    recode(codes[s], at, at + parser.rows, map);
                }
                at += parser.rows;
            }
            values.add(global);
        }
        Map<String, CsvTable.Column> byName = new HashMap<>();
        for (int k = 0; k < numbers.length; k++) {
            byName.put(layout.numberNames().get(k), new CsvTable.NumberColumn(layout.numberNames().get(k), numbers[k],
                    rows, missing(parsers, k)));
        }
        for (int k = 0; k < texts; k++) {
            byName.put(layout.textNames().get(k), new CsvTable.TextColumn(layout.textNames().get(k), values.get(k),
                    codes[k], rows, countNegative(codes[k], rows)));
        }
        List<CsvTable.Column> ordered = layout.order().stream().map(byName::get).toList();
        return new CsvTable(name, rows, ordered);
    }

    // The loops over millions of values live in small methods of their own: the JIT compiles them in
    // milliseconds on first use, where compiling them inside a big method (on-stack replacement) took
    // longer than the loops themselves on a cold JVM.

    /** {@code col[from, to)} through {@code map}: a chunk's codes become the file's. */
    private static void recode(int[] col, int from, int to, int[] map) {
        for (int i = from; i < to; i++) {
            col[i] = map[col[i]];
        }
    }

    private static int missing(TableChunkParser[] parsers, int column) {
        int n = 0;
        for (TableChunkParser p : parsers) {
            n += p.missing[column];
        }
        return n;
    }

    private static int countNegative(int[] col, int rows) {
        int n = 0;
        for (int i = 0; i < rows; i++) {
            if (col[i] < 0) {
                n++;
            }
        }
        return n;
    }
}
