package io.modelgate.metrics;

import java.util.List;
import java.util.Optional;

/**
 * Columns of a CSV file held in primitive arrays, as {@link CsvTableReader} read them. The arrays are
 * shared, not copied: callers must not change them.
 *
 * @param file    the file they came from, for messages
 * @param rows    the number of data rows
 * @param columns the columns asked for, in the order asked
 */
public record CsvTable(String file, int rows, List<Column> columns) {
    public CsvTable {
        columns = List.copyOf(columns);
    }

    /** One column of the table. */
    public sealed interface Column permits NumberColumn, DecimalColumn, TextColumn {
        String name();

        /** Rows with no value (empty, NA, NaN, null, None). */
        int missing();
    }

    /**
     * A numeric column.
     *
     * @param values one per row in {@code [0, rows)}; NaN where the value is missing. The array may be
     *               longer: the reader does not copy a column to trim it, and what follows is not data
     * @param rows   how many of {@code values} are rows
     */
    public record NumberColumn(String name, double[] values, int rows, int missing) implements Column {
        public NumberColumn {
            if (rows < 0 || rows > values.length) {
                throw new IllegalArgumentException(rows + " rows in an array of " + values.length);
            }
        }

        public NumberColumn(String name, double[] values, int missing) {
            this(name, values, values.length, missing);
        }
    }

    /**
     * A numeric column whose values are all decimals of a few digits, held as integers: row {@code i} is
     * {@code units[i] / 10^scale}, computed as that one division, which gives the very double the text
     * parses to ({@code -0.0} comes back as {@code 0.0}). Half the memory of doubles, and sorted as the
     * integers they are. {@link CsvTableReader} makes one when it is asked to and every value fits.
     *
     * @param units one per row in {@code [0, rows)}; {@link #MISSING} where the value is missing; the
     *              array may be longer, as for {@link NumberColumn}
     * @param scale the number of decimals, 0 to {@link #MAX_SCALE}
     */
    public record DecimalColumn(String name, int[] units, int scale, int rows, int missing) implements Column {
        /** The unit of a missing value. */
        public static final int MISSING = Integer.MIN_VALUE;
        public static final int MAX_SCALE = 9;
        private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

        public DecimalColumn {
            if (rows < 0 || rows > units.length) {
                throw new IllegalArgumentException(rows + " rows in an array of " + units.length);
            }
            if (scale < 0 || scale > MAX_SCALE) {
                throw new IllegalArgumentException("scale " + scale);
            }
        }

        /** {@code 10^scale}: what a unit is divided by. */
        public double divisor() {
            return POW10[scale];
        }

        /** {@code 10^scale}, exactly, for a scale of 0 to {@link #MAX_SCALE}. */
        public static double divisor(int scale) {
            return POW10[scale];
        }

        /** The value of one row, NaN when it is missing. */
        public double value(int row) {
            int u = units[row];
            return u == MISSING ? Double.NaN : u / POW10[scale];
        }

        /** The same column as doubles (a new array). */
        public NumberColumn toNumbers() {
            double[] values = new double[rows];
            for (int i = 0; i < rows; i++) {
                values[i] = value(i);
            }
            return new NumberColumn(name, values, rows, missing);
        }
    }

    /**
     * A text column, dictionary-encoded.
     *
     * @param values the distinct values, indexed by code (never a missing-value word)
     * @param codes  one per row in {@code [0, rows)}: the index into {@code values}, or -1 where the value
     *               is missing; the array may be longer, as for {@link NumberColumn}
     * @param rows   how many of {@code codes} are rows
     */
    public record TextColumn(String name, List<String> values, int[] codes, int rows, int missing) implements Column {
        public TextColumn {
            values = List.copyOf(values);
            if (rows < 0 || rows > codes.length) {
                throw new IllegalArgumentException(rows + " rows in an array of " + codes.length);
            }
        }
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
