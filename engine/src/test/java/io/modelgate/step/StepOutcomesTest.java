package io.modelgate.step;

import io.modelgate.common.Sanitizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check a step publishes is Markdown on a pull request: every value in it (model names, reasons,
 * rules, paths, error lines) goes through the one Markdown escaper, so a hostile value cannot add a
 * link, an image, HTML, a mention, a heading or a line of its own, and the message for the build log
 * stays one line.
 */
class StepOutcomesTest {
    /** A value that tries everything at once. */
    static final String HOSTILE = "churn](https://evil.example/x) <img src=x onerror=alert(1)> @acme/ml-team `code`"
            + "\n## Forged heading\n- [ ] task | cell | ~~gone~~ *bold* _it_ #1 \\ end";

    @TempDir
    Path ws;

    private static void assertInert(String markdown) {
        assertThat(markdown).doesNotContain("<img").doesNotContainPattern("(?<!\\\\)\\]\\(").doesNotContain("@acme")
                .doesNotContain("\n## Forged").doesNotContain("\n- [ ]").doesNotContainPattern("(?<!\\\\)`code")
                .doesNotContain("\u0007");
        // Each Markdown character of the value is escaped where it appears (character references aside).
        assertThat(markdown.replace("\\\\", "").replaceAll("&(#64|lt|gt|amp);", "")).doesNotContainPattern("(?<!\\\\)[\\[\\]`*_|~#]");
    }

    private static void assertOneLine(String message) {
        assertThat(Sanitizer.hasControl(message)).as(message).isFalse();
    }

    @Test
    void aRefusalListsHostileRulesAsInertText() {
        StepPlan plan = StepCatalog.plan("promoteModel", Map.of("name", "churn", "version", "v1.0.0", "stage", "prod"), Map.of());
        String json = """
                {"status": "refused", "message": %s, "unmet": [%s, "needs a PASS verdict"]}
                """.formatted(quote(HOSTILE), quote(HOSTILE));
        StepOutcome o = StepOutcomes.decide(plan, 1, doc(json), "", List.of(), ws, Map.of());

        assertThat(o.result()).isEqualTo("FAILURE");
        assertInert(o.check().title());
        assertInert(o.check().summary());
        assertThat(o.check().text()).startsWith("- ").contains("\n- needs a PASS verdict\n");
        assertThat(o.check().text().lines()).as("one list item per rule, none forged").hasSize(2);
        for (String line : o.check().text().lines().toList()) {
            assertInert(line.substring(2));
        }
        assertThat(o.check().title()).isEqualTo(Sanitizer.markdown("refused: " + HOSTILE));
        assertOneLine(o.message());
        assertThat(o.message()).contains("refused: churn](https://evil.example/x)");
    }

    @Test
    void aCanaryReasonAndALineageUriAreEscaped() {
        StepPlan canary = StepCatalog.plan("canaryRollout", Map.of("plan", "c.yaml"), Map.of());
        StepOutcome back = StepOutcomes.decide(canary, 1, doc("{\"phase\": \"ROLLED_BACK\", \"reason\": " + quote(HOSTILE) + "}"),
                "", List.of(), ws, Map.of());
        assertInert(back.check().title());
        assertOneLine(back.message());

        StepPlan lineage = StepCatalog.plan("recordLineage", Map.of("inputs", "a.csv"), Map.of());
        StepOutcome rec = StepOutcomes.decide(lineage, 0, doc("{\"id\": \"abc\", \"job\": " + quote(HOSTILE)
                + ", \"inputs\": [{\"uri\": " + quote("/ws/" + HOSTILE) + ", \"sha256\": \"`x`\"}]}"), "", List.of(), ws, Map.of());
        assertInert(rec.check().title());
        assertThat(rec.check().text()).startsWith("**inputs**\n\n- ");
        String item = rec.check().text().lines().filter(l -> l.startsWith("- ")).findFirst().orElseThrow();
        assertInert(item.substring(2));
        assertThat(rec.check().text().lines().filter(l -> l.startsWith("- "))).hasSize(1);
    }

    @Test
    void anErrorLineAndAGateSummaryAreEscaped() {
        StepPlan gate = StepCatalog.plan("validateModel", Map.of("policy", "p", "metrics", "m"), Map.of());
        StepOutcome broken = StepOutcomes.decide(gate, 2, doc(""), HOSTILE, List.of("note " + HOSTILE), ws, Map.of());
        assertInert(broken.check().title());
        assertInert(broken.check().text());
        assertOneLine(broken.message());
        assertThat(broken.notes()).singleElement().satisfies(StepOutcomesTest::assertOneLine);

        StepOutcome warn = StepOutcomes.decide(gate, 0, doc("{\"status\": \"WARN\", \"summary\": " + quote(HOSTILE) + "}"), "",
                List.of(), ws, Map.of());
        assertThat(warn.result()).isEqualTo("UNSTABLE");
        assertInert(warn.check().title());
        assertInert(warn.check().summary());
        assertInert(warn.check().text());
    }

    @Test
    void aStepThatCannotStartEscapesWhatItQuotes() {
        StepOutcome o = StepOutcomes.invalid(HOSTILE, HOSTILE + ": unknown step");
        assertInert(o.check().title());
        assertInert(o.check().summary());
        assertInert(o.check().text());
        assertOneLine(o.message());
        assertOneLine(o.step());
    }

    @Test
    void theCheckNameStaysAsGivenButOnOneLine() {
        StepPlan plan = StepCatalog.plan("validateModel", Map.of("policy", "p", "metrics", "m", "checkName",
                "ml_gate [prod]\nsecond"), Map.of());
        StepOutcome o = StepOutcomes.decide(plan, 0, doc("{\"status\": \"PASS\", \"summary\": \"PASS\"}"), "", List.of(), ws, Map.of());
        assertThat(o.check().name()).isEqualTo("ml_gate [prod]\\nsecond");
    }

    private static String quote(String s) {
        try {
            return io.modelgate.common.RecordJson.mapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
    /** A result document as the work returns it; text that is not a JSON object is no document. */
    static Map<String, Object> doc(String json) {
        try {
            return io.modelgate.common.RecordJson.mapper().readValue(json,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                    });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Map.of();
        }
    }
}
