package io.modelgate.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** Parses rows of any CSV into number columns (doubles) and text columns (codes), only the fields asked for. */
final class TableChunkParser extends CsvChunkParser {
    /** Words that mean "no value", as pandas reads them by default (compared stripped, lower-case). */
    static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "-nan", "null", "none", "<na>", "#n/a");

    private final List<String> header;
    private final int[] numberFields;
    private final int[] textFields;
    private final String numberHint;
    /** Per field of a line: the number column it fills (>= 0), the text column ({@code -2 - k}), or -1. */
    private final int[] slots;

    double[][] numbers;
    /**
     * In decimal mode (see {@link CsvTable.DecimalColumn}), the number columns as units, and per column the
     * scale of this parser's units; {@code numbers} is then empty. Scales only grow: a value with more
     * decimals multiplies the units read so far. A value that cannot be a unit ends the read with
     * {@link NotDecimal}, and the reader reads the file again as doubles.
     */
    int[][] units;
    final int[] scales;
    private final boolean decimal;
    int[][] codes;
    final ByteDictionary[] dictionaries;
    /** Per number column: the missing values this parser stored (NaN), so nobody counts them again. */
    final int[] missing;
    /** Where row 0 of this parser goes in the columns, and where its region ends. */
    private int base;
    private int regionEnd;
    private boolean growable;
    /** True once the rows outgrew the region given and moved to columns of this parser's own. */
    boolean moved;
    int rows;

    /**
     * Rows are gathered row by row in a small block and copied to the columns a block at a time.
     * Storing one value per row in each of 20 big arrays is 20 write streams whose addresses share
     * their low bits (big arrays start at heap-region boundaries): they evict each other from the
     * caches, which cost more than parsing. Row {@code rows} is at {@code rows - blockStart}.
     */
    private static final int BLOCK_ROWS = 512;
    private final double[] numberBlock;
    private final int[] unitBlock;
    private final int[] codeBlock;
    private int blockStart;

    /**
     * A parser that fills rows {@code [base, regionEnd)} of the given columns; with {@code growable}, it
     * grows them when they are full, else it moves its rows to columns of its own (see {@link #moved}).
     */
    TableChunkParser(List<String> header, int[] numberFields, int[] textFields, String numberHint,
                     double[][] numbers, int[][] codes, int base, int regionEnd, boolean growable) {
        this(header, numberFields, textFields, numberHint, numbers, null, codes, base, regionEnd, growable);
    }

    /** A parser in decimal mode when {@code units} is not null (and {@code numbers} is then ignored). */
    TableChunkParser(List<String> header, int[] numberFields, int[] textFields, String numberHint,
                     double[][] numbers, int[][] units, int[][] codes, int base, int regionEnd, boolean growable) {
        super(header.size());
        this.header = header;
        this.numberFields = numberFields;
        this.textFields = textFields;
        this.numberHint = numberHint;
        this.decimal = units != null;
        this.numbers = decimal ? new double[0][] : numbers;
        this.units = decimal ? units : new int[0][];
        this.scales = new int[numberFields.length];
        this.codes = codes;
        this.base = base;
        this.regionEnd = regionEnd;
        this.growable = growable;
        this.missing = new int[numberFields.length];
        this.numberBlock = new double[decimal ? 0 : BLOCK_ROWS * numberFields.length];
        this.unitBlock = new int[decimal ? BLOCK_ROWS * numberFields.length : 0];
        this.codeBlock = new int[BLOCK_ROWS * textFields.length];
        this.slots = new int[header.size()];
        Arrays.fill(slots, -1);
        for (int k = 0; k < numberFields.length; k++) {
            slots[numberFields[k]] = k;
        }
        for (int k = 0; k < textFields.length; k++) {
            slots[textFields[k]] = -2 - k;
        }
        this.dictionaries = new ByteDictionary[textFields.length];
        for (int i = 0; i < textFields.length; i++) {
            dictionaries[i] = new ByteDictionary(header.get(textFields[i]));
        }
    }

    @Override
    void row(byte[] buf) throws RowError {
        if (found != fieldCount) {
            throw error("expected " + fieldCount + " fields, found " + found);
        }
        if (base + rows >= regionEnd) {
            makeRoom();
        }
        int nb = (rows - blockStart) * numberFields.length;
        int cb = (rows - blockStart) * textFields.length;
        for (int k = 0; k < numberFields.length; k++) {
            int f = numberFields[k];
            int from = starts[f];
            int to = ends[f];
            double v = DoubleParser.parse(buf, from, to);
            if (!Double.isFinite(v)) { // NaN or infinite: a missing-value word, or a mistake
                String text = new String(buf, from, to - from, StandardCharsets.UTF_8);
                if (!MISSING.contains(text.strip().toLowerCase(Locale.ROOT))) {
                    String what = Double.isInfinite(v) || DoubleParser.isNonFiniteWord(text)
                            ? "' is not a finite number" : "' is not a number";
                    throw error("column '" + header.get(f) + "' is numeric but has '" + ChunkParser.shorten(text)
                            + what + numberHint);
                }
                v = Double.NaN;
                missing[k]++;
            }
            if (decimal) {
                unitBlock[nb + k] = Double.isNaN(v) ? CsvTable.DecimalColumn.MISSING : unitOf(k, v);
            } else {
                numberBlock[nb + k] = v;
            }
        }
        for (int k = 0; k < textFields.length; k++) {
            int f = textFields[k];
            ByteDictionary d = dictionaries[k];
            if (escaped[f]) {
                int len = unescape(buf, starts[f], ends[f]);
                codeBlock[cb + k] = d.code(scratch, 0, len);
            } else {
                codeBlock[cb + k] = d.code(buf, starts[f], ends[f]);
            }
        }
        rowDone();
    }

    private void rowDone() {
        rows++;
        if (rows - blockStart == BLOCK_ROWS) {
            flush();
        }
    }

    /** Copies the block's rows to the columns. */
    private void flush() {
        int n = rows - blockStart;
        int at = base + blockStart;
        for (int k = 0; k < numbers.length; k++) {
            transpose(numberBlock, k, numbers.length, n, numbers[k], at);
        }
        for (int k = 0; k < units.length; k++) {
            transpose(unitBlock, k, units.length, n, units[k], at);
        }
        for (int k = 0; k < codes.length; k++) {
            transpose(codeBlock, k, codes.length, n, codes[k], at);
        }
        blockStart = rows;
    }

    private static void transpose(double[] block, int k, int width, int n, double[] column, int at) {
        for (int j = 0; j < n; j++) {
            column[at + j] = block[j * width + k];
        }
    }

    private static void transpose(int[] block, int k, int width, int n, int[] column, int at) {
        for (int j = 0; j < n; j++) {
            column[at + j] = block[j * width + k];
        }
    }

    @Override
    void parse(byte[] first, int firstLength, ByteSource source) throws IOException, RowError {
        super.parse(first, firstLength, source);
        flush();
    }

    /**
     * The common line in one pass: unquoted fields, numbers as plain decimals ({@code -12.3456}) that
     * {@link DoubleParser}'s exact fast path covers, LF endings. Each number is read while its field is
     * scanned, and gives the same double {@link DoubleParser#parse} gives ({@code m / 10^fraction},
     * one correctly rounded division). Anything else (quotes, spaces, exponents, missing-value words,
     * CR, too many digits, a wrong field count) goes to the general path, which also reports errors.
     *
     * <p>No scan tests {@code limit}: each stops at a newline at the latest, and one is at
     * {@code limit - 1}. Rare cases are arithmetic, not branches (a minus sign): the JIT compiles a
     * branch it has not yet seen taken as a trap, and the first negative number would throw the
     * compiled parser away.
     */
    @Override
    int fastRow(byte[] buf, int p, int limit) {
        if (base + rows >= regionEnd) {
            makeRoom();
        }
        int nb = (rows - blockStart) * numberFields.length;
        int cb = (rows - blockStart) * textFields.length;
        int i = p;
        int last = fieldCount - 1;
        for (int f = 0; f <= last; f++) {
            byte end = f == last ? (byte) '\n' : (byte) ',';
            int slot = slots[f];
            if (slot >= 0) {
                int minus = (((buf[i] & 0xff) ^ '-') - 1) >>> 31; // 1 for a minus sign, else 0
                i += minus;
                long m = 0;
                int digits = 0;
                byte c;
                while ((c = buf[i]) >= '0' && c <= '9') {
                    m = m * 10 + (c - '0');
                    digits++;
                    i++;
                }
                int fraction = 0;
                if (buf[i] == '.') {
                    i++;
                    while ((c = buf[i]) >= '0' && c <= '9') {
                        m = m * 10 + (c - '0');
                        fraction++;
                        i++;
                    }
                    digits += fraction;
                }
                // 18 digits cannot overflow a long; m < 2^53 (and fraction <= 18) is ofDecimal's exact range
                if (buf[i] != end || digits == 0 || digits > 18 || m >= DoubleParser.MAX_EXACT) {
                    return -1;
                }
                if (decimal) {
                    if (fraction > scales[slot]) {
                        if (fraction > CsvTable.DecimalColumn.MAX_SCALE) {
                            throw new NotDecimal();
                        }
                        rescale(slot, fraction);
                    }
                    if (m > Integer.MAX_VALUE) {
                        throw new NotDecimal();
                    }
                    long u = m * UNIT_POW10[scales[slot] - fraction];
                    if (u > Integer.MAX_VALUE) {
                        throw new NotDecimal();
                    }
                    unitBlock[nb + slot] = (int) u * (1 - 2 * minus);
                } else {
                    numberBlock[nb + slot] = DoubleParser.ofDecimal(m, fraction) * (1 - 2 * minus); // -x is x * -1 exactly
                }
            } else {
                int from = i;
                if (buf[i] == '"') {
                    return -1;
                }
                byte c;
                while ((c = buf[i]) != ',' && c != '\n') {
                    i++;
                }
                if (c != end || (f == last && i > from && buf[i - 1] == '\r')) {
                    return -1;
                }
                if (slot < -1) {
                    codeBlock[cb - 2 - slot] = dictionaries[-2 - slot].code(buf, from, i);
                }
            }
            i++;
        }
        rowDone();
        return i - 1;
    }

    /** A value that cannot be a unit of a decimal column: the reader reads the file again as doubles. */
    static final class NotDecimal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotDecimal() {
            super(null, null, false, false);
        }
    }

    /** {@code 10^s} for a scale difference {@code s}. */
    static long unitPow10(int s) {
        return UNIT_POW10[s];
    }

    private AtomicBoolean stop;

    /** Told of each larger scale this parser finds, so that parsers started later can start from it. */
    interface ScaleListener {
        void learned(int column, int scale);
    }

    private ScaleListener learned;

    /**
     * Starts the number columns at these scales (decimal mode), and reports larger ones. Starting where
     * other stretches got to means a stretch's first row does not rescale: a branch the compiled parser
     * has not seen taken is a trap that throws the compiled code away.
     */
    void startScales(int[] start, ScaleListener listener) {
        System.arraycopy(start, 0, scales, 0, scales.length);
        learned = listener;
    }

    /** Stops parsing at the next block once {@code flag} is set (another stretch gave up on units). */
    void stopWhen(AtomicBoolean flag) {
        stop = flag;
    }

    @Override
    boolean stopped() {
        return stop != null && stop.get();
    }

    private static final long[] UNIT_POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
        1_000_000_000};

    /**
     * The unit of the finite {@code v} in number column {@code k}: at this parser's scale, or at the
     * smallest larger one that holds it exactly (the units so far are rescaled).
     *
     * @throws NotDecimal when no scale up to {@link CsvTable.DecimalColumn#MAX_SCALE} holds it in an int
     */
    private int unitOf(int k, double v) {
        for (int s = scales[k]; s <= CsvTable.DecimalColumn.MAX_SCALE; s++) {
            double u = Math.rint(v * UNIT_POW10[s]);
            if (Math.abs(u) <= Integer.MAX_VALUE && u / UNIT_POW10[s] == v) {
                if (s > scales[k]) {
                    rescale(k, s);
                }
                return (int) u;
            }
        }
        throw new NotDecimal();
    }

    /** Multiplies the units of number column {@code k} read so far (this row's excepted) to scale {@code s}. */
    private void rescale(int k, int s) {
        long p = UNIT_POW10[s - scales[k]];
        int[] column = units[k];
        for (int i = base; i < base + blockStart; i++) {
            column[i] = scaled(column[i], p);
        }
        int width = numberFields.length;
        for (int r = 0; r < rows - blockStart; r++) {
            unitBlock[r * width + k] = scaled(unitBlock[r * width + k], p);
        }
        scales[k] = s;
        if (learned != null) {
            learned.learned(k, s);
        }
    }

    private static int scaled(int unit, long p) {
        if (unit == CsvTable.DecimalColumn.MISSING) {
            return unit;
        }
        long u = unit * p;
        if (Math.abs(u) > Integer.MAX_VALUE) {
            throw new NotDecimal();
        }
        return (int) u;
    }

    /**
     * The region is full: grow the columns, or move this parser's rows to columns of its own (the
     * region was an estimate; the rows after it belong to the next parser).
     */
    private void makeRoom() {
        if (!growable) {
            flush(); // the block's rows are all inside the region
            double[][] ownNumbers = new double[numbers.length][];
            int[][] ownUnits = new int[units.length][];
            int[][] ownCodes = new int[codes.length][];
            int size = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(1024L, rows * 2L)); // no int overflow
            for (int k = 0; k < numbers.length; k++) {
                ownNumbers[k] = new double[size];
                System.arraycopy(numbers[k], base, ownNumbers[k], 0, rows);
            }
            for (int k = 0; k < units.length; k++) {
                ownUnits[k] = new int[size];
                System.arraycopy(units[k], base, ownUnits[k], 0, rows);
            }
            for (int k = 0; k < codes.length; k++) {
                ownCodes[k] = new int[size];
                System.arraycopy(codes[k], base, ownCodes[k], 0, rows);
            }
            numbers = ownNumbers;
            units = ownUnits;
            codes = ownCodes;
            base = 0;
            regionEnd = size;
            growable = true;
            moved = true;
        }
        if (base + rows >= regionEnd) {
            grow();
        }
    }

    private int capacity() {
        return numbers.length > 0 ? numbers[0].length : units.length > 0 ? units[0].length
                : codes.length > 0 ? codes[0].length : Integer.MAX_VALUE;
    }

    private void grow() {
        long capacity = Math.max(1024L, capacity() + (long) (capacity() >> 1));
        if (capacity > Integer.MAX_VALUE - 16) {
            if (capacity() >= Integer.MAX_VALUE - 16) {
                throw new MetricsException("more than " + (Integer.MAX_VALUE - 16) + " rows are not supported");
            }
            capacity = Integer.MAX_VALUE - 16;
        }
        for (int k = 0; k < numbers.length; k++) {
            numbers[k] = Arrays.copyOf(numbers[k], (int) capacity);
        }
        for (int k = 0; k < units.length; k++) {
            units[k] = Arrays.copyOf(units[k], (int) capacity);
        }
        for (int k = 0; k < codes.length; k++) {
            codes[k] = Arrays.copyOf(codes[k], (int) capacity);
        }
        regionEnd = (int) capacity;
    }
}
