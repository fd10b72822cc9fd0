package io.modelgate.report;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownReportTest {

    private static List<String> tableRows(String md) {
        return Arrays.stream(md.split("\n")).filter(l -> l.startsWith("| ")).toList();
    }

    @Test
    void startsWithStatusSummaryAndCounts() {
        String md = MarkdownReport.render(Verdicts.mixed());

        assertThat(md).startsWith("## Modelgate: FAIL\n\nFAIL: 2 of 7 checks failed, 1 warned (roc\\_auc in region=eu)\n\n"
                + "**2 failed**, 1 warned, 3 passed, 1 skipped\n");
    }

    @Test
    void listsFailedRowsFirstThenWarnedSkippedPassed() {
        List<String> rows = tableRows(MarkdownReport.render(Verdicts.mixed()));

        assertThat(rows.get(0)).isEqualTo(
                "| Outcome | Metric | Slice | n | Value | Interval | Baseline | Change interval | Threshold | Why |");
        assertThat(rows.subList(1, rows.size())).extracting(r -> r.substring(2, r.indexOf(" |", 2)))
                .containsExactly("**FAIL**", "**FAIL**", "WARN", "SKIPPED", "PASS", "PASS", "PASS");
        assertThat(rows.get(1)).isEqualTo("| **FAIL** | roc\\_auc | region=eu | \u2013 | 0.78 |  | 0.81 |  | &gt;= 0.8 "
                + "| roc\\_auc in region=eu is 0.78, below 0.8 |");
    }

    @Test
    void everyRowHasTenCellsWhateverTheNames() {
        List<String> rows = tableRows(MarkdownReport.render(Verdicts.mixed()));

        for (String row : rows.subList(2, rows.size())) {
            String unescapedPipes = row.replace("\\|", "");
            assertThat(unescapedPipes.chars().filter(c -> c == '|').count()).as(row).isEqualTo(11);
        }
    }

    @Test
    void escapesPipesBackticksHtmlAndNewlinesInCells() {
        String md = MarkdownReport.render(Verdicts.mixed());

        assertThat(md).contains("| a\\|b\\`c\\` d |");
        assertThat(md).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(md).contains("\"&gt;&lt;img src=x onerror=alert(1)&gt;");
        assertThat(md).doesNotContain("<script").doesNotContain("<img").doesNotContain("a|b");
        assertThat(md).contains("Policy: policies/&lt;gate&gt;.yaml");
    }

    @Test
    void neutralisesMentionsAndLinks() {
        assertThat(MarkdownReport.inline("@org/team [x](https://evil) ![i](u)"))
                .isEqualTo("&#64;org/team \\[x\\](https://evil) !\\[i\\](u)");
    }

    @Test
    void showsNaNAndMissingBaseline() {
        String md = MarkdownReport.render(Verdicts.mixed());

        assertThat(md).contains("| **FAIL** | roc\\_auc | &lt;script&gt;alert(1)&lt;/script&gt; | \u2013 | NaN |  | \u2013 |");
    }

    @Test
    void saysSoWhenThereAreNoResults() {
        String md = MarkdownReport.render(Verdicts.empty());

        assertThat(md).startsWith("## Modelgate: PASS\n");
        assertThat(md).contains("No checks were run").doesNotContain("| Outcome |");
        assertThat(md).contains("Baseline: none");
    }

    @Test
    void capsTheTableForHugeVerdicts() {
        String md = MarkdownReport.render(Verdicts.manySlices(MarkdownReport.MAX_ROWS + 5));

        assertThat(tableRows(md)).hasSize(MarkdownReport.MAX_ROWS + 1);
        assertThat(md).contains("5 more results are not shown here");
    }
}
