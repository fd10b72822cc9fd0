package io.modelgate.step;

import io.modelgate.testing.SourceTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepCatalogTest {
    private static final Path VARS = SourceTree.resolve("pipeline-steps/vars");

    @Test
    void turnsNamedParametersIntoOneWordPerArgument() {
        StepPlan plan = StepCatalog.plan("validateModel", Map.of("policy", "gate yaml/p.yaml", "predictions", "x'; rm -rf /; '",
                "sliceColumns", List.of("region", "plan"), "threshold", 0.4), Map.of());

        assertThat(plan.main().argv()).containsSubsequence("validate", "--json", "--policy", "gate yaml/p.yaml",
                "--predictions", "x'; rm -rf /; '", "--slice-column", "region", "--slice-column", "plan",
                "--threshold", "0.4", "--report-dir", "modelgate-reports");
        assertThat(plan.main().display()).contains("'x'\\''; rm -rf /; '\\'''");
        assertThat(plan.checkName()).isEqualTo("Modelgate: gate");
    }

    @Test
    void reportFolderComesFromTheStepThenTheEnvironment() {
        assertThat(StepCatalog.plan("canaryRollout", Map.of("plan", "c.yaml"), Map.of("MODELGATE_REPORT_DIR", "out"))
                .reportDir()).isEqualTo("out");
        assertThat(StepCatalog.plan("canaryRollout", Map.of("plan", "c.yaml", "reportDir", "r"), Map.of("MODELGATE_REPORT_DIR", "out"))
                .main().argv()).containsSubsequence("--report-dir", "r");
    }

    @Test
    void rejectsUnknownMissingAndMistypedParameters() {
        assertThatThrownBy(() -> StepCatalog.plan("validateModel", Map.of("policy", "p", "metric", "m"), Map.of()))
                .isInstanceOf(StepException.class).hasMessageContaining("unknown parameter 'metric' (did you mean 'metrics'?)");
        assertThatThrownBy(() -> StepCatalog.plan("registerModel", Map.of("name", "churn"), Map.of()))
                .hasMessage("registerModel: missing parameter 'artifact': the model file or directory");
        assertThatThrownBy(() -> StepCatalog.plan("validateModel", Map.of("policy", "p", "metrics", "m", "threshold", "half"), Map.of()))
                .hasMessage("validateModel: parameter 'threshold' must be a number, not 'half'");
        assertThatThrownBy(() -> StepCatalog.plan("recordLineage", Map.of("inputs", "d.csv", "params", List.of("a")), Map.of()))
                .hasMessageContaining("parameter 'params' must be a map like [key: 'value'], not a list");
        assertThatThrownBy(() -> StepCatalog.plan("promoteModel", Map.of("name", "m", "version", "v1.0.0"), Map.of()))
                .hasMessage("promoteModel: give exactly one of 'stage' and 'alias'");
        assertThatThrownBy(() -> StepCatalog.plan("validateModle", Map.of(), Map.of()))
                .hasMessageContaining("unknown step 'validateModle' (did you mean 'validateModel'?)");
    }

    @Test
    void abortingACanaryRequestsTheAbortThenResumesIntoTheRollback() {
        StepPlan plan = StepCatalog.plan("canaryRollout", Map.of("plan", "c.yaml", "abort", true), Map.of());

        assertThat(plan.commands()).extracting(StepCommand::role).containsExactly(StepCommand.Role.PREPARE, StepCommand.Role.MAIN);
        assertThat(plan.commands().get(0).argv()).startsWith("canary", "abort");
        assertThat(plan.main().argv()).startsWith("canary", "resume");
    }

    @Test
    void lineageAlsoWritesTheTracePage() {
        StepPlan plan = StepCatalog.plan("recordLineage", Map.of("inputs", List.of("d.csv"), "model", "churn@v0.0.1",
                "params", Map.of("lr", 0.1)), Map.of());

        assertThat(plan.main().argv()).containsSubsequence("--param", "lr=0.1", "--model", "churn@v0.0.1");
        assertThat(plan.commands().get(1).argv()).containsExactly("lineage", "trace", "--model", "churn@v0.0.1", "--report-dir",
                "modelgate-reports");
    }

    @Test
    void registryChangesAlsoWriteTheHistoryPage() {
        StepPlan plan = StepCatalog.plan("rollbackModel", Map.of("name", "churn", "reason", "bad", "registry", "/r"), Map.of());

        assertThat(plan.commands().get(1).role()).isEqualTo(StepCommand.Role.PAGE);
        assertThat(plan.commands().get(1).argv()).containsExactly("registry", "history", "churn", "--report-dir",
                "modelgate-reports", "--registry", "/r");
    }

    @Test
    void everyStepHasAVarAndAHelpTextNamingEveryParameter() throws IOException {
        for (StepDefinition d : StepCatalog.steps()) {
            assertThat(VARS.resolve(d.name() + ".groovy")).exists();
            String help = Files.readString(VARS.resolve(d.name() + ".txt"));
            for (StepParam p : d.params()) {
                assertThat(help).as(d.name() + ".txt").contains("<code>" + p.name() + "</code>");
            }
        }
    }

    @Test
    void everyStepIsDocumented() throws IOException {
        String docs = Files.readString(SourceTree.resolve("docs/jenkins.md"));
        for (StepDefinition d : StepCatalog.steps()) {
            for (StepParam p : d.params()) {
                assertThat(docs).as(d.name() + " in docs/jenkins.md").contains("`" + p.name() + "`");
            }
        }
    }

    @Test
    void theOutcomeMapsTheGateOntoTheBuild(@TempDir Path ws) throws IOException {
        StepPlan plan = StepCatalog.plan("validateModel", Map.of("policy", "p", "metrics", "m"), Map.of());
        Files.createDirectories(ws.resolve("modelgate-reports"));
        Files.writeString(ws.resolve("modelgate-reports/verdict.md"), "## Modelgate: WARN\n| a | b |");
        Files.writeString(ws.resolve("modelgate-reports/junit.xml"), "<testsuite/>");

        StepOutcome warn = StepOutcomes.decide(plan, 0, StepOutcomesTest.doc("{\"status\": \"WARN\", \"summary\": \"WARN: 1 warned\"}"), "", List.of(),
                ws, Map.of("BUILD_URL", "https://ci/job/a/3"));
        StepOutcome fail = StepOutcomes.decide(plan, 1, StepOutcomesTest.doc("{\"status\": \"FAIL\", \"summary\": \"FAIL: auc\"}"), "", List.of(), ws, Map.of());
        StepOutcome external = StepOutcomes.decide(plan, 3, StepOutcomesTest.doc(""), "registry unreachable: ssh://git@x", List.of(), ws, Map.of());
        StepOutcome noJson = StepOutcomes.decide(plan, 0, StepOutcomesTest.doc("not json"), "", List.of(), ws, Map.of());

        assertThat(warn.result()).isEqualTo("UNSTABLE");
        assertThat(warn.check().conclusion()).isEqualTo("NEUTRAL");
        assertThat(warn.check().text()).startsWith("## Modelgate: WARN");
        assertThat(warn.check().detailsUrl()).isEqualTo("https://ci/job/a/3/Modelgate/");
        assertThat(warn.reports().junit()).containsExactly("modelgate-reports/junit.xml");
        assertThat(fail.result()).isEqualTo("FAILURE");
        assertThat(fail.message()).isEqualTo("FAIL: auc");
        assertThat(external.result()).isEqualTo("FAILURE");
        assertThat(external.message()).isEqualTo("validateModel: an external system failed: registry unreachable: ssh://***@x");
        assertThat(noJson.result()).as("a gate that printed no verdict fails closed").isEqualTo("FAILURE");
    }

    @Test
    void aPausedCanaryIsUnstableAndARolledBackOneFails() {
        StepPlan plan = StepCatalog.plan("canaryRollout", Map.of("plan", "c.yaml"), Map.of());

        StepOutcome paused = StepOutcomes.decide(plan, 5, StepOutcomesTest.doc("{\"phase\": \"PAUSED\", \"reason\": \"no data\"}"), "", List.of(),
                Path.of("."), Map.of());
        StepOutcome back = StepOutcomes.decide(plan, 1, StepOutcomesTest.doc("{\"phase\": \"ROLLED_BACK\", \"reason\": \"errors doubled\"}"), "",
                List.of(), Path.of("."), Map.of());

        assertThat(paused.result()).isEqualTo("UNSTABLE");
        assertThat(paused.check().conclusion()).isEqualTo("NEUTRAL");
        assertThat(back.result()).isEqualTo("FAILURE");
        assertThat(back.message()).isEqualTo("Canary rolled back: errors doubled");
    }

    @Test
    void checkTextsAreCutToWhatGitHubAccepts(@TempDir Path ws) throws IOException {
        StepPlan plan = StepCatalog.plan("validateModel", Map.of("policy", "p", "metrics", "m"), Map.of());
        Files.createDirectories(ws.resolve("modelgate-reports"));
        Files.writeString(ws.resolve("modelgate-reports/verdict.md"), "x".repeat(100_000));

        StepOutcome o = StepOutcomes.decide(plan, 0, StepOutcomesTest.doc("{\"status\": \"PASS\", \"summary\": \"PASS\"}"), "", List.of(), ws, Map.of());

        assertThat(o.check().text().length()).isLessThan(65_535);
        assertThat(o.check().text()).endsWith("(cut; the full report is on the build page)");
    }
}
