package io.modelgate.metrics;

/**
 * Names of slices: {@code column=value}, and the pseudo-slice of all examples.
 *
 * <p>A key is split at its first {@code =} that no backslash escapes, and a column name has its
 * {@code \} and {@code =} escaped, so every (column, value) pair has its own key: column {@code a}
 * with value {@code b=c} is {@code a=b=c}, column {@code a=b} with value {@code c} is {@code a\=b=c}.
 * Values need no escaping: everything after the split is the value.
 */
public final class Slices {
    /** The key that stands for all examples. */
    public static final String OVERALL = "overall";

    private Slices() {
    }

    public static String key(String column, String value) {
        return escapeColumn(column) + "=" + value;
    }

    /** The column part of a slice key ({@code region} for {@code region=eu}), unescaped. */
    public static String column(String sliceKey) {
        int eq = split(sliceKey);
        return unescapeColumn(eq < 0 ? sliceKey : sliceKey.substring(0, eq));
    }

    /** The value part of a slice key ({@code eu} for {@code region=eu}); empty when there is none. */
    public static String value(String sliceKey) {
        int eq = split(sliceKey);
        return eq < 0 ? "" : sliceKey.substring(eq + 1);
    }

    /** The index of the {@code =} that ends the column; -1 when there is none. */
    public static int split(String sliceKey) {
        for (int i = 0; i < sliceKey.length(); i++) {
            char c = sliceKey.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '=') {
                return i;
            }
        }
        return -1;
    }

    static String escapeColumn(String column) {
        if (column.indexOf('\\') < 0 && column.indexOf('=') < 0) {
            return column;
        }
        return column.replace("\\", "\\\\").replace("=", "\\=");
    }

    /** A column name as a key spells it, back to the name. */
    public static String unescapeColumn(String escaped) {
        if (escaped.indexOf('\\') < 0) {
            return escaped;
        }
        StringBuilder b = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\' && i + 1 < escaped.length()) {
                c = escaped.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }
}
