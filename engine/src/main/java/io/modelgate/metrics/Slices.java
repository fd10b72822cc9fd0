package io.modelgate.metrics;

/** Names of slices: {@code column=value}, and the pseudo-slice of all examples. */
public final class Slices {
    /** The key that stands for all examples. */
    public static final String OVERALL = "overall";

    private Slices() {
    }

    public static String key(String column, String value) {
        return column + "=" + value;
    }

    /** The column part of a slice key ({@code region} for {@code region=eu}). */
    public static String column(String sliceKey) {
        int eq = sliceKey.indexOf('=');
        return eq < 0 ? sliceKey : sliceKey.substring(0, eq);
    }
}
