package io.modelgate.metrics;

import io.modelgate.common.InputFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.IntFunction;

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
        return open(file, input -> {
            String name = input.name();
            try (InputStream in = input.content()) {
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
                    out.put(names.get(i), parser.number[i] && !parser.text[i]); // names are unique
                }
                return out;
            }
        });
    }

    /** The column names of a CSV file's header (gzip allowed), for a file whose column types are known. */
    public static List<String> header(Path file) {
        return open(file, input -> {
            try (InputStream in = input.content()) {
                return PredictionsReader.readHeader(input.name(), in).names();
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
        return read(file, columns, numberHint, false);
    }

    /**
     * {@link #read(Path, Map, String)}; with {@code decimals}, number columns come back as
     * {@link CsvTable.DecimalColumn}s when every value of the file's number columns is a decimal that
     * fits (else the file is read again, as doubles: a column of long numbers such as pandas writes is
     * found on its first line, so that costs little).
     */
    public static CsvTable read(Path file, Map<String, ColumnKind> columns, String numberHint, boolean decimals) {
        return read(file, columns, numberHint, decimals ? new Scales() : null);
    }

    /**
     * The number of decimals per number column that the stretches of a file, and of the files read after
     * it with the same object, start from: for files written the same way, no stretch but the first has
     * to rescale the units it has read.
     */
    public static final class Scales {
        private final Map<String, Integer> byName = new ConcurrentHashMap<>();

        /** Starts {@code parser}'s number columns, named {@code names}, here, and keeps the larger scales it finds. */
        void start(TableChunkParser parser, List<String> names) {
            parser.startScales(names.stream().mapToInt(n -> byName.getOrDefault(n, 0)).toArray(),
                    (k, scale) -> byName.merge(names.get(k), scale, Math::max));
        }
    }

    /** {@link #read(Path, Map, String, boolean)} in decimal mode when {@code scales} is not null, starting from them. */
    public static CsvTable read(Path file, Map<String, ColumnKind> columns, String numberHint, Scales scales) {
        return open(file, in -> {
            if (scales != null) {
                try {
                    return in.gzip() ? readGzip(in, columns, numberHint, scales) : readPlain(in, columns, numberHint, scales);
                } catch (TableChunkParser.NotDecimal e) {
                    // read again as doubles
                }
            }
            return in.gzip() ? readGzip(in, columns, numberHint, null) : readPlain(in, columns, numberHint, null);
        });
    }

    /** Opens {@code file} through {@link InputFiles} (a regular file, gzip by its first bytes); empty is an error. */
    private static <T> T open(Path file, InputFiles.Body<T> body) {
        return InputFiles.read(file, MetricsException::new, in -> {
            if (in.size() == 0) {
                throw new MetricsException(in.name() + ": file is empty");
            }
            return body.read(in);
        });
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

    private static CsvTable readPlain(InputFiles.Input in, Map<String, ColumnKind> columns, String hint, Scales scales)
            throws IOException {
        boolean decimal = scales != null;
        String name = in.name();
        FileChannel channel = in.channel();
        long size = in.size();
        PredictionsReader.Header header = PredictionsReader.readHeader(name, in.stretch(0, size));
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
        long rowBytes = (decimal ? 4L : 8L) * layout.numberFields().length + 4L * layout.textFields().length;
        long budget = Runtime.getRuntime().maxMemory() / 3 / Math.max(1, rowBytes);
        double shrink = estimated > budget ? (double) budget / estimated : 1.0;
        long[] offsets = new long[chunks + 1];
        for (int c = 0; c < chunks; c++) {
            offsets[c + 1] = offsets[c] + (long) (wanted[c] * shrink);
        }
        int capacity = (int) Math.min(Integer.MAX_VALUE - 16, offsets[chunks]);
        int numberColumns = layout.numberFields().length;
        double[][] numbers = new double[decimal ? 0 : numberColumns][];
        int[][] units = decimal ? new int[numberColumns][] : null;
        int[][] codes = new int[layout.textFields().length][];
        // Allocating a column means zeroing (and mapping) megabytes: every core does its share.
        Parallel.forEach(numberColumns + codes.length, k -> {
            if (k >= numberColumns) {
                codes[k - numberColumns] = new int[capacity];
            } else if (decimal) {
                units[k] = new int[capacity];
            } else {
                numbers[k] = new double[capacity];
            }
        });
        TableChunkParser[] parsers = new TableChunkParser[chunks];
        CsvChunkParser.RowError[] rowErrors = new CsvChunkParser.RowError[chunks];
        IOException[] ioFailure = new IOException[chunks];
        AtomicBoolean notDecimal = new AtomicBoolean();
        Parallel.forEach(chunks, c -> {
            int from = (int) Math.min(capacity, offsets[c]);
            int to = (int) Math.min(capacity, offsets[c + 1]);
            TableChunkParser parser = new TableChunkParser(layout.header(), layout.numberFields(), layout.textFields(),
                    hint, numbers, units, codes, from, numberColumns + codes.length == 0 ? Integer.MAX_VALUE : to, false);
            parser.stopWhen(notDecimal);
            if (decimal) {
                scales.start(parser, layout.numberNames());
            }
            parsers[c] = parser;
            try {
                parser.parse(new byte[0], 0, in.stretch(bounds[c], bounds[c + 1])::read);
            } catch (TableChunkParser.NotDecimal e) {
                notDecimal.set(true);
            } catch (CsvChunkParser.RowError e) {
                rowErrors[c] = e;
            } catch (IOException e) {
                ioFailure[c] = e;
            }
        });
        PredictionsReader.rethrow(ioFailure);
        if (notDecimal.get()) {
            throw new TableChunkParser.NotDecimal();
        }
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
        Parallel.forEach(numberColumns + codes.length, k -> {
            if (k >= numberColumns) {
                int t = k - numberColumns;
                codes[t] = closeUp(parsers, starts, moved, total, codes[t], int[]::new, p -> p.codes[t]);
            } else if (decimal) {
                units[k] = closeUp(parsers, starts, moved, total, units[k], int[]::new, p -> p.units[k]);
            } else {
                numbers[k] = closeUp(parsers, starts, moved, total, numbers[k], double[]::new, p -> p.numbers[k]);
            }
        });
        return assemble(name, layout, parsers, numbers, units, codes, total);
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

    private static CsvTable readGzip(InputFiles.Input input, Map<String, ColumnKind> columns, String hint, Scales scales)
            throws IOException {
        boolean decimal = scales != null;
        String name = input.name();
        try (InputStream in = input.content()) {
            PredictionsReader.Header header = PredictionsReader.readHeader(name, in);
            Layout layout = layout(name, header.names(), columns);
            int guess = PredictionsReader.initialRows(header, input.size());
            int numberColumns = layout.numberFields().length;
            TableChunkParser parser = new TableChunkParser(layout.header(), layout.numberFields(), layout.textFields(),
                    hint, decimal ? null : new double[numberColumns][guess], decimal ? new int[numberColumns][guess] : null,
                    new int[layout.textFields().length][guess], 0, guess, true);
            if (decimal) {
                scales.start(parser, layout.numberNames());
            }
            try {
                parser.parse(header.rest(), header.restLength(), in::read);
            } catch (CsvChunkParser.RowError e) {
                throw new MetricsException(name + " line " + (header.line() + e.line) + ": " + e.getMessage());
            }
            return assemble(name, layout, new TableChunkParser[] {parser}, parser.numbers, decimal ? parser.units : null,
                    parser.codes, parser.rows);
        }
    }

    /**
     * Gives text values one code per file (a missing-value word becomes -1) and counts missing values;
     * the columns hold the stretches' rows one after the other from row 0, {@code rows} in all.
     */
    private static CsvTable assemble(String name, Layout layout, TableChunkParser[] parsers, double[][] numbers,
                                     int[][] units, int[][] codes, int rows) {
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
        for (int k = 0; k < layout.numberFields().length; k++) {
            String column = layout.numberNames().get(k);
            byName.put(column, units == null ? new CsvTable.NumberColumn(column, numbers[k], rows, missing(parsers, k))
                    : decimalColumn(column, parsers, k, units[k], rows));
        }
        for (int k = 0; k < texts; k++) {
            byName.put(layout.textNames().get(k), new CsvTable.TextColumn(layout.textNames().get(k), values.get(k),
                    codes[k], rows, countNegative(codes[k], rows)));
        }
        List<CsvTable.Column> ordered = layout.order().stream().map(byName::get).toList();
        return new CsvTable(name, rows, ordered);
    }

    /**
     * Number column {@code k} of decimal parsers, its stretches one after the other in {@code units}: each
     * stretch's units are brought to the largest scale; when one would not fit, the column is doubles.
     */
    private static CsvTable.Column decimalColumn(String column, TableChunkParser[] parsers, int k, int[] units, int rows) {
        int scale = 0;
        for (TableChunkParser p : parsers) {
            scale = Math.max(scale, p.scales[k]);
        }
        int missing = missing(parsers, k);
        int at = 0;
        for (TableChunkParser p : parsers) {
            if (p.scales[k] < scale && !rescale(units, at, at + p.rows, TableChunkParser.unitPow10(scale - p.scales[k]))) {
                return asDoubles(column, parsers, k, units, rows, missing);
            }
            at += p.rows;
        }
        return new CsvTable.DecimalColumn(column, units, scale, rows, missing);
    }

    /** Multiplies {@code units[from, to)} by {@code p} in place; false (and nothing changed) when one would not fit. */
    private static boolean rescale(int[] units, int from, int to, long p) {
        for (int i = from; i < to; i++) {
            if (units[i] != CsvTable.DecimalColumn.MISSING && Math.abs(units[i] * p) > Integer.MAX_VALUE) {
                return false;
            }
        }
        for (int i = from; i < to; i++) {
            if (units[i] != CsvTable.DecimalColumn.MISSING) {
                units[i] = (int) (units[i] * p);
            }
        }
        return true;
    }

    /** The column as doubles, each stretch's units divided at the stretch's own scale. */
    private static CsvTable.Column asDoubles(String column, TableChunkParser[] parsers, int k, int[] units, int rows,
                                            int missing) {
        double[] values = new double[rows];
        int at = 0;
        for (TableChunkParser p : parsers) {
            double divisor = CsvTable.DecimalColumn.divisor(p.scales[k]);
            for (int i = at; i < at + p.rows; i++) {
                values[i] = units[i] == CsvTable.DecimalColumn.MISSING ? Double.NaN : units[i] / divisor;
            }
            at += p.rows;
        }
        return new CsvTable.NumberColumn(column, values, rows, missing);
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
        for (int from = 0; from < rows; from += RadixSort.STRIDE) {
            n += countNegative(col, from, Math.min(rows, from + RadixSort.STRIDE));
        }
        return n;
    }

    private static int countNegative(int[] col, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += col[i] >>> 31;
        }
        return n;
    }
}
