package io.modelgate.registry;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in config: {@code 30m}, {@code 2h}, {@code 1d}, or ISO-8601
 * {@code PT1H}. Bounded: a negative duration ({@code PT-10S}) means nothing for a wait, and one
 * longer than {@link #MAX} is a typo (a rule no version could ever meet), so both are refused
 * with one line rather than overflowing.
 */
final class Durations {
    /** Ten years: longer than any promotion rule means, short enough for every sum with an instant. */
    static final Duration MAX = Duration.ofDays(3650);
    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(s|m|h|d)");

    private Durations() {
    }

    static Duration parse(String text, String where) {
        String t = text.trim();
        Duration d;
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            long seconds = switch (m.group(2)) {
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                default -> 86400;
            };
            // At most 12 digits times 86400 stays far inside a long; MAX is checked below.
            d = Duration.ofSeconds(n * seconds);
        } else {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new RegistryException(where + ": '" + text + "' is not a duration like 30m, 2h, 1d or PT1H"
                        + (t.matches("\\d{13,}\\s*[smhd]") ? " (it is far too long)" : ""));
            }
        }
        if (d.isNegative()) {
            throw new RegistryException(where + ": '" + text + "' is negative; a duration is 0 or more");
        }
        if (d.compareTo(MAX) > 0) {
            throw new RegistryException(where + ": '" + text + "' is longer than " + format(MAX) + " (10 years)");
        }
        return d;
    }

    static String format(Duration d) {
        long s = Math.max(0, d.getSeconds());
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
