package io.modelgate.cli;

import io.modelgate.step.StepContext;
import io.modelgate.step.StepLog;
import io.modelgate.step.StepOutcome;
import io.modelgate.step.Steps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The plugin's way in: a step run in a workspace that is not the JVM's directory, with the build's environment. */
class StepRunnerTest {
    @TempDir
    Path workspace;

    private final StringWriter log = new StringWriter();

    private StepOutcome run(String step, Map<String, ?> params, Map<String, String> env) {
        return Steps.run(step, params, StepContext.of(workspace, env, StepLog.to(new PrintWriter(log, true))));
    }

    private void file(String name, String text) throws IOException {
        Path p = workspace.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private void gateFiles(String accuracy) throws IOException {
        file("gate.yaml", """
                metrics:
                  roc_auc: {threshold: 0.7}
                  accuracy: {threshold: 0.9, severity: warn}
                """);
        file("metrics.json", "{\"roc_auc\": 0.85, \"accuracy\": " + accuracy + "}");
    }

    @Test
    void readsRelativePathsInTheWorkspaceAndWritesReportsThere() throws IOException {
        gateFiles("0.95");
        StepOutcome o = run("validateModel", Map.of("policy", "gate.yaml", "metrics", "metrics.json"), Map.of());
        assertThat(o.result()).as(log.toString()).isEqualTo("SUCCESS");
        assertThat(o.value()).containsEntry("status", "PASS");
        assertThat(workspace.resolve("modelgate-reports/verdict.json")).exists();
        assertThat(workspace.resolve("modelgate-reports/index.html")).exists();
        assertThat(o.reports().junit()).containsExactly(Path.of("modelgate-reports", "junit.xml").toString());
        assertThat(Path.of("modelgate-reports", "verdict.json")).as("nothing lands in the JVM's own directory")
                .doesNotExist();
        assertThat(log.toString()).contains("+ modelgate validate").contains("Modelgate validateModel: SUCCESS");
    }

    @Test
    void takesTheReportFolderAndBuildUrlFromTheGivenEnvironment() throws IOException {
        gateFiles("0.8");
        StepOutcome o = run("validateModel", Map.of("policy", "gate.yaml", "metrics", "metrics.json"),
                Map.of("MODELGATE_REPORT_DIR", "out/gate", "BUILD_URL", "https://ci.example/job/m/7/"));
        assertThat(o.result()).isEqualTo("UNSTABLE");
        assertThat(o.check().conclusion()).isEqualTo("NEUTRAL");
        assertThat(o.check().detailsUrl()).isEqualTo("https://ci.example/job/m/7/Modelgate/");
        assertThat(o.reports().dir()).isEqualTo("out/gate");
        assertThat(workspace.resolve("out/gate/verdict.json")).exists();
    }

    @Test
    void registersIntoTheWorkspacesRegistryAndTakesTheActorFromTheEnvironment() throws IOException {
        file("model.bin", "weights");
        StepOutcome o = run("registerModel", Map.of("name", "churn", "artifact", "model.bin"),
                Map.of("MODELGATE_ACTOR", "jenkins-build"));
        assertThat(o.result()).as(log.toString()).isEqualTo("SUCCESS");
        assertThat(workspace.resolve(".modelgate/registry")).isDirectory();
        assertThat(Path.of(".modelgate", "registry", "churn")).doesNotExist();
        assertThat(o.value().toString()).contains("jenkins-build").contains("v");
    }

    @Test
    void recordsLineageOfWorkspaceFiles() throws IOException {
        file("data/train.csv", "a,b\n1,2\n");
        file("model.bin", "weights");
        StepOutcome o = run("recordLineage", Map.of("inputs", List.of("data/train.csv"), "outputs", "model.bin",
                "job", "train"), Map.of());
        assertThat(o.result()).as(log.toString()).isEqualTo("SUCCESS");
        assertThat(o.value()).containsEntry("job", "train");
        assertThat(o.value().get("inputs").toString()).contains(workspace.resolve("data/train.csv").toString());
    }

    @Test
    void theOutcomeTravelsBackFromAnAgentByJavaSerialization() throws Exception {
        gateFiles("0.95");
        StepOutcome o = run("validateModel", Map.of("policy", "gate.yaml", "metrics", "metrics.json"), Map.of());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(o);
        }
    }

    @Test
    void badParametersAreAFailedOutcomeNotAnException() {
        StepOutcome o = run("validateModel", Map.of("polcy", "gate.yaml"), Map.of());
        assertThat(o.result()).isEqualTo("FAILURE");
        assertThat(o.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(o.message()).contains("unknown parameter 'polcy'").contains("did you mean 'policy'");
        assertThat(log.toString()).contains("Modelgate validateModel: FAILURE");
    }

    @Test
    void aMissingInputFileIsNamedAsGiven() {
        StepOutcome o = run("validateModel", Map.of("policy", "nope.yaml", "metrics", "m.json"), Map.of());
        assertThat(o.result()).isEqualTo("FAILURE");
        assertThat(o.message()).contains("nope.yaml");
    }
}
