package io.modelgate.drift;

/** How a column is compared; AUTO in a policy means "detect from the reference". */
public enum ColumnType {
    AUTO,
    NUMERIC,
    CATEGORICAL;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
