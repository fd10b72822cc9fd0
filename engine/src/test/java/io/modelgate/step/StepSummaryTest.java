package io.modelgate.step;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StepSummaryTest {
    private static StepOutcome outcome(String step, String result, String message, Map<String, Object> value) {
        return new StepOutcome(StepOutcome.SCHEMA, step, result, 0, message, value,
                new Check("c", "t", "s", "", "SUCCESS", ""),
                new StepOutcome.Reports("modelgate-reports", "index.html", "Modelgate", List.of(), "modelgate-reports/**"),
                List.of(), List.of());
    }

    @Test
    void gateShowsVerdictCountsAndTheVersionItRegistered() {
        StepSummary s = StepSummary.of(outcome("validateModel", "UNSTABLE", "WARN: 1 of 2 checks passed", Map.of(
                "status", "WARN",
                "counts", Map.of("pass", 1, "warn", 1, "fail", 0, "skipped", 0),
                "registry", Map.of("versions", List.of(Map.of("model", "churn", "version", "v0.0.1"))))));
        assertThat(s.headline()).isEqualTo("WARN: 1 of 2 checks passed");
        assertThat(s.result()).isEqualTo("UNSTABLE");
        assertThat(s.facts()).containsExactly(
                new StepSummary.Fact("Verdict", "WARN"),
                new StepSummary.Fact("Checks", "1 passed, 1 warned, 0 failed, 0 skipped"),
                new StepSummary.Fact("Version", "churn@v0.0.1"));
    }

    @Test
    void rolloutShowsItsPhaseAndAnalyses() {
        StepSummary s = StepSummary.of(outcome("canaryRollout", "FAILURE", "Canary rolled back: error rate", Map.of(
                "phase", "ROLLED_BACK", "reason", "error rate 0.2 > 0.05", "intervals", List.of(Map.of(), Map.of()),
                "failures", 2)));
        assertThat(s.facts()).containsExactly(
                new StepSummary.Fact("Rollout", "rolled back"),
                new StepSummary.Fact("Reason", "error rate 0.2 > 0.05"),
                new StepSummary.Fact("Analyses", "2, 2 failed"));
    }

    @Test
    void promotionNamesVersionAndStage() {
        StepSummary s = StepSummary.of(outcome("promoteModel", "SUCCESS", "churn v1 to production", Map.of(
                "status", "applied", "event", Map.of("model", "churn", "version", "v1.0.0", "stage", "production",
                        "alias", ""))));
        assertThat(s.facts()).containsExactly(
                new StepSummary.Fact("Registry", "applied"),
                new StepSummary.Fact("Version", "churn@v1.0.0"),
                new StepSummary.Fact("Stage", "production"));
    }

    @Test
    void anOutcomeWithoutAValueHasOnlyItsHeadline() {
        StepSummary s = StepSummary.of(StepOutcomes.invalid("registerModel", "registerModel: missing parameter 'name'"));
        assertThat(s.result()).isEqualTo("FAILURE");
        assertThat(s.headline()).contains("bad input").contains("missing parameter 'name'");
        assertThat(s.facts()).isEmpty();
    }
}
