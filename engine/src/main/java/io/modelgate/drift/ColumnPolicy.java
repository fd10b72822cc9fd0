package io.modelgate.drift;

/**
 * What the policy says about one column.
 *
 * @param type      NUMERIC or CATEGORICAL, or AUTO to detect it from the reference
 * @param method    the method, or AUTO for the default choice
 * @param threshold the method's threshold; NaN for its default
 * @param ignore    leave the column out (an id, a timestamp)
 */
public record ColumnPolicy(ColumnType type, Method method, double threshold, boolean ignore) {
    public static final ColumnPolicy DEFAULT = new ColumnPolicy(ColumnType.AUTO, Method.AUTO, Double.NaN, false);
}
