package io.modelgate.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared library's steps, one by one, in the Jenkins step recorder against the real command line. */
class SharedLibraryStepsIT {
    @TempDir
    Path tmp;
    Path ws;

    @BeforeEach
    void workspace() throws IOException {
        ws = Workspaces.checkout(tmp.resolve("ws"));
        Files.writeString(ws.resolve("model.bin"), "weights");
    }

    private JenkinsStepRecorder jenkins() {
        return Workspaces.recorder(ws).env("MODELGATE_CLI", ws.resolve("modelgate").toString());
    }

    @Test
    void aHostileModelNameReachesTheEngineAsAStringNotTheShell() {
        JenkinsStepRecorder jenkins = jenkins();

        assertThatThrownBy(() -> jenkins.run("registerModel(name: \"x'; touch pwned; '\", artifact: 'model.bin')"))
                .isInstanceOf(JenkinsStepRecorder.StepFailure.class)
                .hasMessageContaining("registerModel: bad input").hasMessageContaining("x'; touch pwned; '");
        assertThat(ws.resolve("pwned")).doesNotExist();
        assertThat(jenkins.calls("sh")).singleElement().satisfies(c -> assertThat(c.args().get("script").toString())
                .doesNotContain("pwned"));
        assertThat(jenkins.result()).isEqualTo("FAILURE");
    }

    @Test
    void shellSyntaxInAValueIsStoredVerbatim() throws Exception {
        JenkinsStepRecorder jenkins = jenkins();

        Object outcome = jenkins.run("registerModel(name: 'churn', artifact: 'model.bin', "
                + "description: '$(touch pwned) `touch pwned2` \"; touch pwned3')");

        assertThat(ws.resolve("pwned")).doesNotExist();
        assertThat(ws.resolve("pwned2")).doesNotExist();
        assertThat(ws.resolve("pwned3")).doesNotExist();
        assertThat(((Map<?, ?>) outcome).get("status")).isEqualTo("applied");
        JsonNode version = JenkinsfileIT.json(ws, "registry", "show", "churn", "v0.0.1", "--json");
        assertThat(version.get("description").asText()).isEqualTo("$(touch pwned) `touch pwned2` \"; touch pwned3");
    }

    @Test
    void aMissingModelgateCommandIsAClearError() {
        JenkinsStepRecorder jenkins = jenkins().env("MODELGATE_CLI", tmp.resolve("nowhere/modelgate").toString());

        assertThatThrownBy(() -> jenkins.run("validateModel(policy: 'examples/churn/policy.yaml', metrics: 'm.json')"))
                .isInstanceOf(JenkinsStepRecorder.StepFailure.class)
                .hasMessageContaining("cannot run '" + tmp.resolve("nowhere/modelgate") + "' on this agent (exit code 127)")
                .hasMessageContaining("MODELGATE_CLI");
    }

    @Test
    void aLibraryOfAnotherMinorVersionThanTheAgentsModelgateFailsInOneLine() throws IOException {
        // The same library with another version in its resource file: as if the agent kept an old modelgate.
        Path library = tmp.resolve("library");
        Files.createDirectories(library.resolve("resources/io/modelgate"));
        try (var vars = Files.list(Workspaces.REPO.resolve("pipeline-steps/vars"))) {
            Files.createDirectories(library.resolve("vars"));
            for (Path f : vars.toList()) {
                Files.copy(f, library.resolve("vars").resolve(f.getFileName()));
            }
        }
        Files.writeString(library.resolve("resources/io/modelgate/library-version.txt"), "9.4.1\n");
        JenkinsStepRecorder jenkins = new JenkinsStepRecorder(ws).library(library)
                .env("MODELGATE_CLI", ws.resolve("modelgate").toString());

        assertThatThrownBy(() -> jenkins.run("registerModel(name: 'churn', artifact: 'model.bin')"))
                .isInstanceOf(JenkinsStepRecorder.StepFailure.class)
                .hasMessageContaining("the Modelgate shared library is version 9.4.1 but the modelgate on this agent is "
                        + io.modelgate.common.ModelgateVersion.current())
                .hasMessageContaining("install modelgate 9.4.x on the agent")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(ws.resolve(".modelgate/registry")).as("nothing was registered").doesNotExist();
        assertThat(jenkins.result()).isEqualTo("FAILURE");
    }

    @Test
    void theLibraryInThisRepositoryMatchesTheEngineBuiltFromIt() {
        JenkinsStepRecorder jenkins = jenkins();

        Object outcome = jenkins.run("registerModel(name: 'churn', artifact: 'model.bin')");

        assertThat(((Map<?, ?>) outcome).get("status")).isEqualTo("applied");
        assertThat(jenkins.calls("sh")).singleElement().satisfies(c -> assertThat(c.args().get("script").toString())
                .startsWith("MODELGATE_LIBRARY_VERSION='" + io.modelgate.common.ModelgateVersion.current() + "' "));
    }

    @Test
    void anUnknownParameterFailsTheStepWithADidYouMean() {
        JenkinsStepRecorder jenkins = jenkins();

        assertThatThrownBy(() -> jenkins.run("validateModel(polcy: 'p.yaml', metrics: 'm.json')"))
                .isInstanceOf(JenkinsStepRecorder.StepFailure.class)
                .hasMessageContaining("unknown parameter 'polcy' (did you mean 'policy'?)");
        assertThat(jenkins.calls("publishChecks")).singleElement().satisfies(c -> assertThat(c.args())
                .containsEntry("conclusion", "FAILURE").containsEntry("name", "Modelgate: gate"));
    }

    @Test
    void aWarningMakesTheBuildUnstableAndMissingPluginsAreSkippedWithANote() throws Exception {
        Files.writeString(ws.resolve("m.json"), "{\"roc_auc\": 0.8, \"accuracy\": 0.70, \"recall\": 0.6, \"log_loss\": 0.5}");
        Files.writeString(ws.resolve("p.yaml"), "metrics:\n  roc_auc: {threshold: 0.75}\n  accuracy: {threshold: 0.72, severity: warn}\n");
        JenkinsStepRecorder jenkins = jenkins().withoutPlugin("publishChecks").withoutPlugin("publishHTML").withoutPlugin("junit");

        Object verdict = jenkins.run("validateModel(policy: 'p.yaml', metrics: 'm.json')");

        assertThat(((Map<?, ?>) verdict).get("status")).isEqualTo("WARN");
        assertThat(jenkins.result()).isEqualTo("UNSTABLE");
        assertThat(jenkins.calls("unstable")).singleElement().satisfies(c -> assertThat(c.args().get("value").toString())
                .startsWith("WARN: ").contains("accuracy is 0.7"));
        assertThat(jenkins.log()).contains("publishChecks is not available (install the Checks API plugin)",
                "publishHTML is not available (install the HTML Publisher plugin)",
                "junit is not available (install the JUnit plugin)");
        assertThat(jenkins.calls("archiveArtifacts")).singleElement();
    }

    @Test
    void promotionWaitsForApprovalAndRecordsTheApprover() throws Exception {
        JenkinsStepRecorder jenkins = jenkins().approveInputsAs("bob");
        jenkins.run("registerModel(name: 'churn', artifact: 'model.bin')");

        // An approver written into the Jenkinsfile does not skip the question
        Object outcome = jenkins.run("promoteModel(name: 'churn', version: 'v0.0.1', stage: 'staging', approvers: 'ml-leads', "
                + "approver: 'mallory')");

        assertThat(((Map<?, ?>) outcome).get("status")).isEqualTo("applied");
        assertThat(jenkins.calls("input")).singleElement().satisfies(c -> assertThat(c.args())
                .containsEntry("submitter", "ml-leads").containsEntry("submitterParameter", "approver"));
        JsonNode history = JenkinsfileIT.json(ws, "registry", "history", "churn", "--json");
        assertThat(history.at("/events/0/event/approver").asText()).isEqualTo("bob");
    }

    @Test
    void aRejectedApprovalAbortsAndChangesNothing() throws Exception {
        JenkinsStepRecorder jenkins = jenkins();
        jenkins.run("registerModel(name: 'churn', artifact: 'model.bin')");

        assertThatThrownBy(() -> jenkins.run("promoteModel(name: 'churn', version: 'v0.0.1', stage: 'staging', approvers: 'ml-leads')"))
                .isInstanceOf(InterruptedException.class);
        JsonNode state = JenkinsfileIT.json(ws, "registry", "show", "churn", "--json");
        assertThat(state.get("stages").size()).isZero();
    }

    @Test
    void aRefusedPromotionFailsTheBuildListingTheUnmetRules() throws Exception {
        JenkinsStepRecorder jenkins = jenkins();
        jenkins.run("registerModel(name: 'churn', artifact: 'model.bin')");

        assertThatThrownBy(() -> jenkins.run("promoteModel(name: 'churn', version: 'v0.0.1', stage: 'production')"))
                .isInstanceOf(JenkinsStepRecorder.StepFailure.class).hasMessageStartingWith("refused: ");
        assertThat(jenkins.calls("publishChecks")).last().satisfies(c -> {
            assertThat(c.args()).containsEntry("conclusion", "FAILURE");
            assertThat(c.args().get("text").toString()).contains("PASS");
        });
    }

    @Test
    void abortingTheBuildRollsTheCanaryBack() throws Exception {
        JenkinsStepRecorder jenkins = jenkins().approveInputsAs("bob");
        jenkins.run("registerModel(name: 'churn', artifact: 'model.bin')");
        jenkins.run("sh '''\n"
                + "nohup \"$MODELGATE_CLI\" demo serve --version v0.0.1 --plan-out .modelgate/canary.yaml --seconds 120 > serve.log 2>&1 &\n"
                + "echo $! > serve.pid\n"
                + "for i in $(seq 150); do [ -s .modelgate/canary.yaml ] && break; sleep 0.2; done\n'''");
        // A plan that cannot end by itself before the abort: ten-minute bakes and the threshold judge, which
        // never promotes early (the sequential one may, after a few intervals), with a bound the healthy
        // canary cannot break by chance.
        Path plan = ws.resolve(".modelgate/canary.yaml");
        String slow = Files.readString(plan).replace("bake: 2s", "bake: 10m").replace("judge: sequential", "judge: threshold")
                .replace("error_rate: {max: 0.03}", "error_rate: {max: 0.5}").replace("latency_p99_ms: {max: 500}", "");
        assertThat(slow).contains("bake: 10m").contains("judge: threshold").doesNotContain("latency_p99_ms");
        Files.writeString(plan, slow);
        // The stop button is pressed once the rollout reports its first step: its state is saved, traffic is split.
        jenkins.abortShWhen(script -> script.contains("'canaryRollout' --params"), printed -> printed.contains("step 1/3:"));
        try {
            assertThatThrownBy(() -> jenkins.run("canaryRollout(plan: '.modelgate/canary.yaml')"))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            new ProcessBuilder("sh", "-c", "kill $(cat serve.pid)").directory(ws.toFile()).start().waitFor();
        }

        assertThat(jenkins.log()).contains("the build was aborted; rolling the canary back");
        JsonNode status = JenkinsfileIT.json(ws, "canary", "status", "--plan", ".modelgate/canary.yaml", "--json");
        assertThat(status.get("phase").asText()).as(jenkins.log()).isEqualTo("ROLLED_BACK");
        assertThat(status.get("reason").asText()).contains("the Jenkins build was aborted");
        JsonNode history = JenkinsfileIT.json(ws, "registry", "history", "churn", "--json");
        assertThat(history.get("events").findValuesAsText("type")).contains("REJECT");
        assertThat(jenkins.result()).isEqualTo("ABORTED");
    }
}
