package io.modelgate.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.modelgate.common.Numbers;
import io.modelgate.common.Redactor;
import io.modelgate.gate.Evidence;
import io.modelgate.gate.Outcome;
import io.modelgate.gate.RuleResult;

import java.util.Comparator;
import java.util.List;

/** Small text helpers shared by the report writers: cleaning, ordering and formatting. */
final class Text {
    private Text() {
    }

    /** {@code s}, or the empty string for null. */
    static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** {@code s} without leading or trailing blanks, or empty when it is null or blank. */
    static String optional(String s) {
        return s == null || s.isBlank() ? "" : s.strip();
    }

    /**
     * {@code s} as it may be written into a report: with the credentials of every URL in it hidden
     * (the one {@link Redactor}: a registry URL with a password, a token in a query) and without the
     * characters XML 1.0 forbids (control characters other than tab, line feed and carriage return,
     * unpaired surrogates, U+FFFE and U+FFFF); null becomes the empty string. Every string of every
     * HTML, SVG, JUnit XML and Markdown report passes through here before it is escaped (escaping first
     * would hide a URL's {@code @} from the redactor); JSON reports go through {@link #redact(JsonNode)}.
     */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        s = Redactor.redactUrls(s);
        StringBuilder out = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok;
            int width = 1;
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1));
                width = ok ? 2 : 1;
            } else if (Character.isLowSurrogate(c)) {
                ok = false;
            } else {
                ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xFFFD);
            }
            if (ok) {
                if (out != null) {
                    out.append(s, i, i + width);
                }
            } else if (out == null) {
                out = new StringBuilder(n).append(s, 0, i);
            }
            i += width - 1;
        }
        return out == null ? s : out.toString();
    }

    /**
     * {@code node} with the credentials of every URL in its strings (field names too) hidden, changed
     * in place: the JSON reports' redaction, done on the tree, since a redactor run over JSON text
     * could not tell where a string ends.
     */
    static JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> names = new java.util.ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode v = o.get(name);
                JsonNode redacted = v.isTextual() ? TextNode.valueOf(Redactor.redactUrls(v.asText())) : redact(v);
                String key = Redactor.redactUrls(name);
                if (!key.equals(name)) {
                    o.remove(name);
                }
                o.set(key, redacted);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode v = a.get(i);
                a.set(i, v.isTextual() ? TextNode.valueOf(Redactor.redactUrls(v.asText())) : redact(v));
            }
        }
        return node;
    }

    /** {@code s} cleaned and on one line: every run of line breaks and tabs becomes one space. */
    static String oneLine(String s) {
        return clean(s).replaceAll("[\\r\\n\\t]+", " ");
    }

    /** Rank for "worst first": FAIL, WARN, SKIPPED, PASS. */
    static int rank(Outcome o) {
        return switch (o) {
            case FAIL -> 0;
            case WARN -> 1;
            case SKIPPED -> 2;
            case PASS -> 3;
        };
    }

    /** The results with failed ones first, then warnings, skipped and passed; policy order within each. */
    static List<RuleResult> worstFirst(List<RuleResult> results) {
        return results.stream().sorted(Comparator.comparingInt(r -> rank(r.outcome()))).toList();
    }

    /** A value for people: six significant digits, or {@code NaN} when it is missing or undefined. */
    static String value(double v) {
        return Double.isNaN(v) ? "NaN" : Numbers.format(v);
    }

    /** A baseline value for people; NaN means there is no baseline: an en dash. */
    static String baseline(double v) {
        return Double.isNaN(v) ? "\u2013" : Numbers.format(v);
    }

    /** A change for people, signed; NaN (no change computed) is an en dash. */
    static String change(double v) {
        return Double.isNaN(v) ? "\u2013" : Numbers.signed(v);
    }

    /** A value's interval for people, {@code [0.801, 0.826]}; empty when none is known. */
    static String interval(Evidence e) {
        if (!Double.isFinite(e.ciLow()) || !Double.isFinite(e.ciHigh())) {
            return "";
        }
        return "[" + Numbers.format(e.ciLow()) + ", " + Numbers.format(e.ciHigh()) + "]";
    }

    /** A change's interval for people, signed; empty when none was computed. */
    static String changeInterval(Evidence e) {
        if (!Double.isFinite(e.changeLow()) || !Double.isFinite(e.changeHigh())) {
            return "";
        }
        return "[" + Numbers.signed(e.changeLow()) + ", " + Numbers.signed(e.changeHigh()) + "]";
    }

    /** How many rows a value rests on; an en dash when unknown. */
    static String rows(long n) {
        return n < 0 ? "\u2013" : Long.toString(n);
    }

    /** "1 check", "2 checks". */
    static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
