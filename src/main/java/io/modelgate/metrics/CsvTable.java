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
     * @param values one per row; NaN where the value is missing
     */
    public record NumberColumn(String name, double[] values, int missing) implements Column {
    }

    /**
     * A text column, dictionary-encoded.
     *
     * @param values the distinct values, indexed by code (never a missing-value word)
     * @param codes  one per row: the index into {@code values}, or -1 where the value is missing
     */
    public record TextColumn(String name, List<String> values, int[] codes, int missing) implements Column {
        public TextColumn {
            values = List.copyOf(values);
        }
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
