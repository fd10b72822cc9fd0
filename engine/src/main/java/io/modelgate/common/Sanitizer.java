package io.modelgate.common;

/**
 * The one place that decides what user text may contain once it reaches Git, a terminal, HTML or
 * Markdown. Identifiers (model, version, stage, alias, actor, approver, job, namespace, rollout and
 * metric names) must not contain control characters at all: a line feed in an approver could
 * otherwise write a second trailer into a registry commit, and an escape sequence could rewrite the
 * terminal. Free text (reasons, descriptions) keeps what the user wrote, escaped onto one line.
 */
public final class Sanitizer {
    /** Identifiers longer than this are refused: they end up in ref names, file names and page titles. */
    public static final int MAX_IDENTIFIER = 200;
    /** Free text longer than this is cut (with a marker): a reason is a sentence, not a file. */
    public static final int MAX_FREE_TEXT = 4_000;

    private Sanitizer() {
    }

    /**
     * A character no identifier may hold and that free text escapes: C0 controls (NUL, CR, LF, ESC,
     * tab, ...), DEL, C1 controls, the Unicode line and paragraph separators, and the bidirectional
     * overrides and isolates that make a terminal or page show text other than what is stored.
     */
    public static boolean isControl(int cp) {
        return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029
                || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
    }

    /** Whether {@code s} holds a {@link #isControl control character} or an unpaired surrogate. */
    public static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return true;
            }
            if (isControl(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code value} when it is a usable identifier for {@code field}: not blank, at most
     * {@link #MAX_IDENTIFIER} characters, no control character. Otherwise a one-line error naming the
     * field and, escaped, the value.
     */
    public static String identifier(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InputException(field + " must not be empty");
        }
        if (hasControl(value)) {
            throw new InputException(field + " '" + escape(shorten(value)) + "' contains a control character"
                    + " (such as a line break, tab, NUL or escape); names may hold printable characters only");
        }
        if (value.length() > MAX_IDENTIFIER) {
            throw new InputException(field + " '" + shorten(value) + "' is " + value.length()
                    + " characters long; at most " + MAX_IDENTIFIER + " are allowed");
        }
        return value;
    }

    /** Like {@link #identifier} for an optional value: empty (or null) stays empty. */
    public static String optionalIdentifier(String field, String value) {
        return value == null || value.isEmpty() ? "" : identifier(field, value);
    }

    /**
     * Free text as one line that shows what was written and cannot imitate anything around it:
     * a backslash becomes {@code \\}, line feed, carriage return and tab {@code \n \r \t}, and every
     * other control character {@code \}{@code uXXXX}; leading and trailing blanks go. Longer than
     * {@link #MAX_FREE_TEXT} characters, the text is cut and ends in an ellipsis.
     */
    public static String freeText(String value) {
        if (value == null) {
            return "";
        }
        String s = value.strip();
        if (s.length() > MAX_FREE_TEXT) {
            int end = MAX_FREE_TEXT;
            if (Character.isHighSurrogate(s.charAt(end - 1))) {
                end--;
            }
            s = s.substring(0, end) + "\u2026";
        }
        return escape(s);
    }

    /**
     * {@code s} escaped onto one line (see {@link #freeText}), without stripping or cutting; text that
     * holds no control character and no backslash comes back unchanged.
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = null;
            if (c == '\\') {
                rep = "\\\\";
            } else if (c == '\n') {
                rep = "\\n";
            } else if (c == '\r') {
                rep = "\\r";
            } else if (c == '\t') {
                rep = "\\t";
            } else if (isControl(c) || (Character.isSurrogate(c) && !paired(s, i))) {
                rep = String.format(java.util.Locale.ROOT, "\\u%04x", (int) c);
            } else if (Character.isHighSurrogate(c)) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (rep != null) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append(rep);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** The inverse of {@link #escape}: what was written, line breaks and all. */
    public static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case '\\' -> out.append('\\');
                case 'u' -> {
                    if (i + 4 < s.length()) {
                        try {
                            out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                            i += 4;
                        } catch (NumberFormatException e) {
                            out.append('\\').append(n);
                        }
                    } else {
                        out.append('\\').append(n);
                    }
                }
                default -> out.append('\\').append(n);
            }
        }
        return out.toString();
    }

    /**
     * A line for a terminal or a build log: every control character escaped, so a value cannot
     * move the cursor, clear the screen or start a line that looks like another message. Unlike
     * {@link #escape}, a backslash stays as it is (paths on Windows agents read as written).
     */
    public static String terminal(String s) {
        if (s == null) {
            return "";
        }
        if (!hasControl(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (isControl(c) || (Character.isSurrogate(c) && !paired(s, i))) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else if (Character.isHighSurrogate(c)) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * {@code s} as literal inline Markdown on one line: every run of line breaks and tabs becomes one
     * space and other control characters go, {@code & < >} become character references, {@code @}
     * becomes {@code &#64;} (no mentions), and Markdown punctuation ({@code \ ` * _ [ ] | ~ #}) is
     * backslash-escaped, so the text renders as written; without brackets, parentheses cannot make a
     * link or an image. verdict.md, the drift and registry pages' Markdown and every check a step
     * publishes use this one escaper.
     */
    @SuppressWarnings("EscapedEntity") // {@code &#64;} is meant to show the character reference itself
    public static String markdown(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') {
                if (!space) {
                    out.append(' ');
                    space = true;
                }
                continue;
            }
            space = false;
            if (isControl(c) || (Character.isSurrogate(c) && !paired(s, i))) {
                continue;
            }
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '@' -> out.append("&#64;");
                case '\\', '`', '*', '_', '[', ']', '|', '~', '#' -> out.append('\\').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean paired(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
