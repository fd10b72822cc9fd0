package io.modelgate.report;

/**
 * Escaping for HTML and SVG text and double-quoted attribute values.
 *
 * <p>Every string that did not come from this package goes through {@link #text}: the result holds
 * no {@code <}, {@code >}, {@code &}, {@code "} or {@code '} except as character references, so a
 * hostile metric or slice name stays text and can neither open an element nor leave an attribute.
 */
final class Html {
    private Html() {
    }

    /** Escapes {@code s} for element content and for double- or single-quoted attribute values. */
    static String text(String s) {
        String clean = Text.clean(s);
        StringBuilder out = new StringBuilder(clean.length() + 16);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Shortens {@code s} to at most {@code max} characters (code points), ending with an ellipsis if cut. */
    static String shorten(String s, int max) {
        String clean = Text.oneLine(s);
        if (clean.codePointCount(0, clean.length()) <= max) {
            return clean;
        }
        int end = clean.offsetByCodePoints(0, max - 1);
        return clean.substring(0, end) + "\u2026";
    }
}
