package io.modelgate.metrics;

import java.nio.charset.StandardCharsets;

/**
 * Parses decimal numbers straight from bytes, without making a String, and always gives the same,
 * correctly rounded result as {@link Double#parseDouble}.
 *
 * <p>Fast path (Clinger): when the decimal mantissa {@code m} has at most 53 bits and the decimal
 * exponent {@code e} is within [-22, 22], both {@code m} and {@code 10^|e|} are exact doubles, so
 * the single multiplication or division {@code m * 10^e} / {@code m / 10^-e} is correctly rounded.
 * Every other well-formed number falls back to {@code Double.parseDouble} on the field's text.
 *
 * <p>Accepted syntax: {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}, plus the
 * words {@code nan}, {@code inf} and {@code infinity} (any case, optional sign), which give NaN or an
 * infinity so the caller can say "not a finite number". Anything else gives {@link #INVALID}
 * (a NaN; use {@link #isNonFiniteWord} to tell the cases apart).
 *
 * <p>Public only for {@code bench/LibraryBenchmark}, which measures it against {@code Double.parseDouble}.
 */
public final class DoubleParser {
    /** Returned for text that is not a number. It is a NaN. */
    static final double INVALID = Double.NaN;

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    /** Integers below this are exact doubles. */
    static final long MAX_EXACT = 1L << 53;
    /** Above this a further digit could overflow a long. */
    private static final long MANTISSA_LIMIT = (Long.MAX_VALUE - 9) / 10;

    private DoubleParser() {
    }

    /** Parses {@code b[from, to)}; leading and trailing spaces or tabs are ignored. */
    public static double parse(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
            to--;
        }
        int i = from;
        if (i == to) {
            return INVALID;
        }
        boolean negative = false;
        byte c = b[i];
        if (c == '-' || c == '+') {
            negative = c == '-';
            i++;
        }
        long m = 0;
        boolean overflow = false;
        int dropped = 0; // integer digits not kept in m because of overflow
        int digits = 0;
        while (i < to && (c = b[i]) >= '0' && c <= '9') {
            if (m <= MANTISSA_LIMIT) {
                m = m * 10 + (c - '0');
            } else {
                overflow = true;
                dropped++;
            }
            digits++;
            i++;
        }
        int fraction = 0;
        if (i < to && b[i] == '.') {
            i++;
            while (i < to && (c = b[i]) >= '0' && c <= '9') {
                if (m <= MANTISSA_LIMIT) {
                    m = m * 10 + (c - '0');
                    fraction++;
                } else {
                    overflow = true;
                }
                digits++;
                i++;
            }
        }
        if (digits == 0) {
            return nonFiniteWord(b, from, to);
        }
        int exponent = 0;
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (b[i] == '-' || b[i] == '+')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            int expDigits = 0;
            while (i < to && (c = b[i]) >= '0' && c <= '9') {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (c - '0');
                }
                expDigits++;
                i++;
            }
            if (expDigits == 0) {
                return INVALID;
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (i != to) {
            return INVALID;
        }
        if (!overflow && m < MAX_EXACT) {
            int e = exponent - fraction + dropped;
            double v;
            if (m == 0) {
                v = 0.0;
            } else if (e == 0) {
                v = m;
            } else if (e > 0 && e <= 22) {
                v = m * POW10[e];
            } else if (e < 0 && e >= -22) {
                v = m / POW10[-e];
            } else {
                return slow(b, from, to);
            }
            return negative ? -v : v;
        }
        return slow(b, from, to);
    }

    /**
     * {@code m / 10^fraction}, correctly rounded, for {@code 0 <= m < 2^53} and {@code 0 <= fraction <= 22}:
     * the same double {@link #parse} gives for that decimal (its fast path).
     */
    static double ofDecimal(long m, int fraction) {
        return fraction == 0 ? (double) m : m / POW10[fraction];
    }

    private static double slow(byte[] b, int from, int to) {
        return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    private static double nonFiniteWord(byte[] b, int from, int to) {
        String s = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        return nonFiniteValue(s);
    }

    private static double nonFiniteValue(String text) {
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        boolean negative = s.startsWith("-");
        if (s.startsWith("-") || s.startsWith("+")) {
            s = s.substring(1);
        }
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf", "infinity" -> negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            default -> INVALID;
        };
    }

    /** Whether the text is one of the words for NaN or infinity this parser accepts. */
    static boolean isNonFiniteWord(String text) {
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.startsWith("-") || s.startsWith("+")) {
            s = s.substring(1);
        }
        return s.equals("nan") || s.equals("inf") || s.equals("infinity");
    }

    /** Convenience for tests: parses a String the same way. */
    static double parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return parse(b, 0, b.length);
    }
}
