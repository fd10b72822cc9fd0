package io.modelgate.metrics;

/** How {@link CsvTableReader} reads a column: as numbers (NaN where missing) or as text values (dictionary-encoded). */
public enum ColumnKind {
    NUMBER,
    TEXT
}
