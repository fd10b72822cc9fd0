package io.modelgate.report;

import io.modelgate.common.Sanitizer;
import io.modelgate.gate.Outcome;
import io.modelgate.gate.RuleResult;
import io.modelgate.gate.Verdict;

import java.util.List;

/**
 * The verdict as GitHub-flavoured Markdown for a pull-request comment or a check's text: a heading
 * with the status, the summary, counts, and a table of results, failed rows first.
 *
 * <p>Every string from the policy or the metrics goes through {@link #cell} or {@link #inline}: they
 * cannot end a table cell, start code, inject HTML or links, or mention a GitHub user or team.
 */
final class MarkdownReport {
    /** Rows beyond this are left out (failed rows come first), keeping a comment under GitHub's size limit. */
    static final int MAX_ROWS = 200;

    private MarkdownReport() {
    }

    static String render(Verdict verdict) {
        StringBuilder md = new StringBuilder();
        md.append("## Modelgate: ").append(verdict.status().name()).append("\n\n");
        String summary = Text.oneLine(verdict.summary()).strip();
        if (!summary.isEmpty()) {
            md.append(inline(summary)).append("\n\n");
        }
        md.append(counts(verdict)).append("\n\n");

        if (verdict.inputs() != null) {
            md.append("Policy: ").append(code(verdict.inputs().policy()))
                    .append(" \u00b7 Candidate: ").append(code(verdict.inputs().candidate()))
                    .append(" \u00b7 Baseline: ").append(code(verdict.inputs().baseline()))
                    .append("\n\n");
        }

        List<RuleResult> rows = Text.worstFirst(verdict.results());
        if (rows.isEmpty()) {
            md.append("No checks were run: the policy has no thresholds that apply.\n");
            return md.toString();
        }
        md.append("| Outcome | Metric | Slice | n | Value | Interval | Baseline | Change interval | Threshold | Why |\n");
        md.append("|---|---|---|--:|--:|---|--:|---|---|---|\n");
        for (RuleResult r : rows.subList(0, Math.min(rows.size(), MAX_ROWS))) {
            md.append("| ").append(outcome(r.outcome()))
                    .append(" | ").append(cell(r.metric()))
                    .append(" | ").append(cell(r.slice()))
                    .append(" | ").append(cell(Text.rows(r.evidence().n())))
                    .append(" | ").append(cell(Text.value(r.value())))
                    .append(" | ").append(cell(Text.interval(r.evidence())))
                    .append(" | ").append(cell(Text.baseline(r.baseline())))
                    .append(" | ").append(cell(Text.changeInterval(r.evidence())))
                    .append(" | ").append(cell(r.threshold().describe()))
                    .append(" | ").append(cell(r.message()))
                    .append(" |\n");
        }
        if (rows.size() > MAX_ROWS) {
            md.append("\n").append(rows.size() - MAX_ROWS)
                    .append(" more results are not shown here; see verdict.json or the HTML report.\n");
        }
        return md.toString();
    }

    private static String counts(Verdict v) {
        return "**" + v.count(Outcome.FAIL) + " failed**, " + v.count(Outcome.WARN) + " warned, "
                + v.count(Outcome.PASS) + " passed, " + v.count(Outcome.SKIPPED) + " skipped";
    }

    private static String outcome(Outcome o) {
        return o == Outcome.FAIL ? "**FAIL**" : o.name();
    }

    /** A file name or path as text (not as a code span: a code span cannot hold every string safely). */
    private static String code(String s) {
        String v = Text.optional(s);
        return v.isEmpty() ? "none" : inline(v);
    }

    /** {@code s} as the text of one table cell. */
    static String cell(String s) {
        return inline(s);
    }

    /**
     * {@code s} as literal inline text on one line, by the one Markdown escaper
     * ({@link Sanitizer#markdown}: line breaks become spaces, {@code & < >} character references,
     * {@code @} {@code &#64;}, Markdown punctuation backslash-escaped), after {@link Text#clean} has
     * hidden the credentials of any URL in it.
     */
    @SuppressWarnings("EscapedEntity") // {@code &#64;} is meant to show the character reference itself
    static String inline(String s) {
        return Sanitizer.markdown(Text.clean(s));
    }
}
