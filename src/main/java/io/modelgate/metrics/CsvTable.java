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
    public sealed interface Column permits NumberColumn, TextColumn {
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
