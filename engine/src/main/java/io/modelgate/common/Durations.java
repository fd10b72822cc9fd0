package io.modelgate.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in every file Modelgate reads: {@code 250ms}, {@code 30s}, {@code 1.5m},
 * {@code 2h}, {@code 1d}, a bare number of seconds (as Argo Rollouts takes them), or ISO-8601
 * ({@code PT1M}). One grammar for the canary plan's bake times and the registry's waits, so a duration
 * a user learnt in one file means the same in the other.
 *
 * <p>Bounded: a negative duration ({@code -5s}, {@code PT-10S}) means nothing for a wait, and one
 * longer than the caller's maximum is a typo (a rule no version could meet, a rollout that outlives
 * its cluster), so both are one-line errors rather than an {@link ArithmeticException} or a wait of
 * millions of years. Every accepted value fits in milliseconds, which is how rollouts count.
 */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");
    /** Far beyond any caller's maximum, and small enough that its milliseconds fit in a long with room. */
    private static final double LIMIT_MS = Long.MAX_VALUE / 4.0;
    /** The longest duration whose milliseconds fit in a long. */
    private static final Duration MAX_MILLIS = Duration.ofMillis(Long.MAX_VALUE);

    private Durations() {
    }

    /**
     * The duration {@code text} stands for, from 0 to {@code max}.
     *
     * @param text    what the user wrote; a number the YAML parser read as one is passed as its text
     * @param max     the longest accepted
     * @param maxText how the maximum is named in the error, e.g. {@code "30 days"}
     * @param problem makes the caller's exception from a message that starts with what is wrong
     *                (the caller adds the file and the field)
     */
    public static Duration parse(String text, Duration max, String maxText,
                                 Function<String, ? extends RuntimeException> problem) {
        String t = text.strip();
        String tooLong = "'" + t + "' is longer than the maximum of " + maxText;
        if (t.startsWith("-")) {
            throw problem.apply("must not be negative, found '" + t + "'");
        }
        Duration d;
        Matcher m = SHORT.matcher(t);
        double number = bareNumber(t);
        if (m.matches() || !Double.isNaN(number)) {
            double x = m.matches() ? Double.parseDouble(m.group(1)) : number;
            double ms = x * (m.matches() ? switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            } : 1000);
            if (!(ms <= LIMIT_MS)) {
                throw problem.apply(tooLong);
            }
            d = Duration.ofMillis(Math.round(ms));
        } else {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                if (e.getCause() instanceof ArithmeticException) {
                    throw problem.apply(tooLong);
                }
                throw problem.apply("'" + t + "' is not a duration like 250ms, 30s, 5m, 2h, 1d or PT1M");
            }
        }
        if (d.isNegative()) {
            throw problem.apply("must not be negative, found '" + t + "'");
        }
        // Rollouts count in milliseconds: a longer duration must fail here, not mid-rollout.
        if (d.compareTo(max) > 0 || d.compareTo(MAX_MILLIS) > 0) {
            throw problem.apply(tooLong);
        }
        return d;
    }

    /** {@code text} as a plain decimal number ({@code 30}, {@code 1.5}, {@code 1.0E300}), else NaN. */
    private static double bareNumber(String text) {
        if (text.isEmpty() || !(Character.isDigit(text.charAt(0)) || text.charAt(0) == '.')
                || !text.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** A duration for people: {@code 2d}, {@code 3h 20m}, {@code 5m 30s}, {@code 45s}. */
    public static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86400 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s >= 3600) {
            return s / 3600 + "h" + (s % 3600 >= 60 ? " " + (s % 3600) / 60 + "m" : "");
        }
        if (s >= 60) {
            return s / 60 + "m" + (s % 60 > 0 ? " " + s % 60 + "s" : "");
        }
        return s + "s";
    }
}
