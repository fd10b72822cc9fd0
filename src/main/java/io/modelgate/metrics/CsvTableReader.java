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
            InputStream in = gzip ? new GZIPInputStream(new PredictionsReader.ChannelStream(channel, 0, size), 1 << 16)
                    : new PredictionsReader.ChannelStream(channel, 0, size);
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
        long[] newlines = new long[chunks];
        long[] capacity = new long[chunks];
        IOException[] ioFailure = new IOException[chunks];
        Parallel.forEach(chunks, c -> {
            try {
                newlines[c] = PredictionsReader.countNewlines(channel, bounds[c], bounds[c + 1]);
                capacity[c] = newlines[c]
                        + (c == chunks - 1 && PredictionsReader.endsWithoutNewline(channel, bounds[c], size) ? 1 : 0);
            } catch (IOException e) {
                ioFailure[c] = e;
            }
        });
        PredictionsReader.rethrow(ioFailure);
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
        double[][] numbers = new double[layout.numberFields().length][];
        int[][] codes = new int[layout.textFields().length][];
        // Allocating a column means zeroing (and mapping) megabytes: every core does its share.
        Parallel.forEach(numbers.length + codes.length, k -> {
            if (k < numbers.length) {
                numbers[k] = new double[n];
            } else {
                codes[k - numbers.length] = new int[n];
            }
        });
        TableChunkParser[] parsers = new TableChunkParser[chunks];
        CsvChunkParser.RowError[] rowErrors = new CsvChunkParser.RowError[chunks];
        Parallel.forEach(chunks, c -> {
            TableChunkParser parser = new TableChunkParser(layout.header(), layout.numberFields(), layout.textFields(),
                    hint, numbers, codes, (int) offsets[c], false);
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
        long lineOfChunk = header.line() + 1;
        for (int c = 0; c < chunks; c++) {
            if (rowErrors[c] != null) {
                throw new MetricsException(name + " line " + (lineOfChunk + rowErrors[c].line - 1) + ": "
                        + rowErrors[c].getMessage());
            }
            lineOfChunk += newlines[c];
        }
        return assemble(name, layout, parsers, offsets, numbers, codes);
    }

    private static CsvTable readGzip(String name, FileChannel channel, long size, Map<String, ColumnKind> columns,
                                     String hint) throws IOException {
        long expectedBytes = PredictionsReader.gzipSizeHint(channel, size);
        try (InputStream in = new GZIPInputStream(new PredictionsReader.ChannelStream(channel, 0, size), 1 << 16)) {
            PredictionsReader.Header header = PredictionsReader.readHeader(name, in);
            Layout layout = layout(name, header.names(), columns);
            int guess = PredictionsReader.estimateRows(header, expectedBytes);
            TableChunkParser parser = new TableChunkParser(layout.header(), layout.numberFields(), layout.textFields(),
                    hint, new double[layout.numberFields().length][guess], new int[layout.textFields().length][guess],
                    0, true);
            try {
                parser.parse(header.rest(), header.restLength(), in::read);
            } catch (CsvChunkParser.RowError e) {
                throw new MetricsException(name + " line " + (header.line() + e.line) + ": " + e.getMessage());
            }
            return assemble(name, layout, new TableChunkParser[] {parser}, new long[] {0}, parser.numbers, parser.codes);
        }
    }

    /** Closes the gaps blank lines left, gives text values one code per file, and counts missing values. */
    private static CsvTable assemble(String name, Layout layout, TableChunkParser[] parsers, long[] offsets,
                                     double[][] numbers, int[][] codes) {
        int texts = layout.textFields().length;
        List<List<String>> values = new ArrayList<>();
        List<Map<String, Integer>> index = new ArrayList<>();
        for (int s = 0; s < texts; s++) {
            values.add(new ArrayList<>());
            index.add(new HashMap<>());
        }
        int rows = 0;
        for (int c = 0; c < parsers.length; c++) {
            TableChunkParser parser = parsers[c];
            int from = (int) offsets[c];
            int count = parser.rows;
            if (from != rows) {
                for (double[] col : numbers) {
                    System.arraycopy(col, from, col, rows, count);
                }
                for (int[] col : codes) {
                    System.arraycopy(col, from, col, rows, count);
                }
            }
            for (int s = 0; s < texts; s++) {
                List<String> local = parser.dictionaries[s].values();
                int[] map = new int[local.size()];
                boolean identity = true;
                for (int v = 0; v < map.length; v++) {
                    String value = local.get(v);
                    int code;
                    if (TableChunkParser.MISSING.contains(value.strip().toLowerCase(Locale.ROOT))) {
                        code = -1;
                    } else {
                        Integer known = index.get(s).get(value);
                        if (known == null) {
                            known = values.get(s).size();
                            values.get(s).add(value);
                            index.get(s).put(value, known);
                        }
                        code = known;
                    }
                    map[v] = code;
                    identity &= code == v;
                }
                if (!identity) {
                    recode(codes[s], rows, rows + count, map);
                }
            }
            rows += count;
        }
        Map<String, CsvTable.Column> byName = new HashMap<>();
        for (int k = 0; k < numbers.length; k++) {
            double[] col = numbers[k].length == rows ? numbers[k] : Arrays.copyOf(numbers[k], rows);
            byName.put(layout.numberNames().get(k), new CsvTable.NumberColumn(layout.numberNames().get(k), col,
                    missing(parsers, k)));
        }
        for (int k = 0; k < texts; k++) {
            int[] col = codes[k].length == rows ? codes[k] : Arrays.copyOf(codes[k], rows);
            byName.put(layout.textNames().get(k), new CsvTable.TextColumn(layout.textNames().get(k), values.get(k), col,
                    countNegative(col)));
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

    private static int countNegative(int[] col) {
        int n = 0;
        for (int v : col) {
            if (v < 0) {
                n++;
            }
        }
        return n;
    }
}
