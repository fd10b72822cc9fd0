package io.modelgate.registry;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in config: {@code 30m}, {@code 2h}, {@code 1d}, or ISO-8601 {@code PT1H}. */
final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(s|m|h|d)");

    private Durations() {
    }

    static Duration parse(String text, String where) {
        String t = text.trim();
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            throw new RegistryException(where + ": '" + text + "' is not a duration like 30m, 2h, 1d or PT1H");
        }
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
