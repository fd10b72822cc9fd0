package io.modelgate.common;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Formats numbers for people: short, exact for counts, and never in scientific notation by surprise. */
public final class Numbers {
    private Numbers() {
    }

    /**
     * A number as a person would write it: exactly when it is short (a threshold typed into a
     * policy, {@code 0.805}), else to four significant digits ({@code 0.9123}); whole numbers in
     * full ({@code 10000}); {@code NaN} and {@code Infinity} spelled out.
     */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        if (d.precision() > 6) {
            d = d.round(new MathContext(4)).stripTrailingZeros();
        }
        int exponent = d.precision() - d.scale() - 1;
        return exponent < -6 || exponent > 15 ? d.toString() : d.toPlainString();
    }

    /**
     * {@code String.format(Locale.ROOT, "%.1f", v)}, character for character, without the formatter:
     * a page's chart writes thousands of coordinates, and the formatter's first use in a process
     * (parsing the pattern, loading its classes) is slow. Values whose tenths sit too close to a
     * rounding boundary to decide from the double product, and huge or non-finite ones, go to the
     * formatter.
     */
    public static String oneDecimal(double v) {
        double tenths = Math.abs(v) * 10;
        double floor = Math.floor(tenths);
        double fraction = tenths - floor;
        if (!(tenths < 1e9) || Math.abs(fraction - 0.5) < 1e-6) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        long t = (long) floor + (fraction > 0.5 ? 1 : 0);
        String digits = (t / 10) + "." + (t % 10);
        return Double.doubleToRawLongBits(v) < 0 ? "-" + digits : digits;
    }

    /** Like {@link #format} with an explicit sign, for changes: {@code +0.012}, {@code -0.3}. */
    public static String signed(double v) {
        String s = format(v);
        return v > 0 ? "+" + s : s;
    }
}
