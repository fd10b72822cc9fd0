package io.modelgate.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the example Jenkinsfile in the Jenkins step recorder against the real command line and a
 * real registry: a build of main, a pull request, and a build whose gate fails.
 */
class JenkinsfileIT {
    @TempDir
    Path tmp;

    @Test
    void mainBuildPromotesThroughStagingAndCanaryToProduction() throws Exception {
        Path ws = Workspaces.checkout(tmp.resolve("ws"));
        JenkinsStepRecorder jenkins = Workspaces.recorder(ws).approveInputsAs("alice");

        String result = jenkins.runJenkinsfile(ws.resolve("Jenkinsfile"));

        assertThat(result).as(jenkins.log()).isEqualTo("SUCCESS");
        List<Map<String, Object>> checks = jenkins.calls("publishChecks").stream().map(JenkinsStepRecorder.Call::args).toList();
        assertThat(checks).extracting(c -> c.get("name")).containsExactly("Modelgate: register", "Modelgate: gate",
                "Modelgate: lineage", "Modelgate: promote", "Modelgate: canary", "Modelgate: promote");
        assertThat(checks).extracting(c -> c.get("conclusion")).containsOnly("SUCCESS");
        Map<String, Object> gate = checks.get(1);
        assertThat((String) gate.get("title")).startsWith("PASS: ");
        assertThat((String) gate.get("text")).contains("| Outcome | Metric |", "roc\\_auc");
        assertThat(gate.get("detailsURL")).isEqualTo("https://ci.example.com/job/churn/1/Modelgate/");
        assertThat(jenkins.calls("junit")).singleElement()
                .satisfies(c -> assertThat(c.args()).containsEntry("testResults", "modelgate-reports/junit.xml"));
        assertThat(Files.readString(ws.resolve("modelgate-reports/junit.xml"))).contains("<testcase");
        assertThat(jenkins.calls("publishHTML")).isNotEmpty().allSatisfy(c -> assertThat(c.args().toString())
                .contains("reportDir=modelgate-reports", "reportName=Modelgate"));
        assertThat(jenkins.calls("archiveArtifacts")).isNotEmpty();
        assertThat(jenkins.calls("input")).singleElement()
                .satisfies(c -> assertThat(c.args()).containsEntry("submitter", "ml-leads"));

        JsonNode state = json(ws, "registry", "show", "churn", "--json");
        assertThat(state.at("/stages/production/0").asText()).isEqualTo("v0.0.1");
        assertThat(state.at("/aliases/champion").asText()).isEqualTo("v0.0.1");
        JsonNode history = json(ws, "registry", "history", "churn", "--json");
        assertThat(history.get("events").findValues("approver")).extracting(JsonNode::asText).contains("alice");
        assertThat(history.get("events").findValuesAsText("type")).contains("REGISTER", "ATTACH_VERDICT", "LINK_LINEAGE",
                "PROMOTE", "ALIAS_SET");
    }

    @Test
    void pullRequestOnlyValidatesAndReportsTheVerdictAsACheck() throws Exception {
        Path ws = Workspaces.checkout(tmp.resolve("ws"));
        JenkinsStepRecorder jenkins = Workspaces.recorder(ws).pullRequest("42");

        String result = jenkins.runJenkinsfile(ws.resolve("Jenkinsfile"));

        assertThat(result).as(jenkins.log()).isEqualTo("SUCCESS");
        assertThat(jenkins.calls("publishChecks")).singleElement().satisfies(c -> {
            assertThat(c.args()).containsEntry("name", "Modelgate: gate").containsEntry("conclusion", "SUCCESS");
        });
        assertThat(jenkins.log()).contains("Stage \"Register\" skipped due to when conditional",
                "Stage \"Canary\" skipped due to when conditional");
        assertThat(jenkins.calls("input")).isEmpty();
        assertThat(ws.resolve(".modelgate/registry")).doesNotExist();
    }

    @Test
    void failingGateFailsTheBuildAndNothingIsPromoted() throws Exception {
        Path ws = Workspaces.checkout(tmp.resolve("ws"));
        Path policy = ws.resolve("examples/churn/policy.yaml");
        Files.writeString(policy, Files.readString(policy).replace("threshold: 0.75 ", "threshold: 0.99 "));
        JenkinsStepRecorder jenkins = Workspaces.recorder(ws).approveInputsAs("alice");

        String result = jenkins.runJenkinsfile(ws.resolve("Jenkinsfile"));

        assertThat(result).as(jenkins.log()).isEqualTo("FAILURE");
        assertThat(jenkins.calls("error")).singleElement().satisfies(c -> assertThat((String) c.args().get("value"))
                .startsWith("FAIL: ").contains("roc_auc is 0.81", "below the minimum 0.99"));
        assertThat(jenkins.calls("publishChecks")).filteredOn(c -> c.args().get("name").equals("Modelgate: gate"))
                .singleElement().satisfies(c -> assertThat(c.args()).containsEntry("conclusion", "FAILURE"));
        assertThat(jenkins.log()).contains("Stage \"Promote to staging\" skipped due to earlier failure(s)");
        assertThat(jenkins.calls("junit")).singleElement();
        assertThat(Files.readString(ws.resolve("modelgate-reports/junit.xml"))).contains("<failure");
        JsonNode state = json(ws, "registry", "show", "churn", "--json");
        assertThat(state.get("stages").size()).as(state.toString()).isZero();
        JsonNode version = json(ws, "registry", "show", "churn", "v0.0.1", "--json");
        assertThat(version.at("/verdicts/0/status").asText()).isEqualTo("FAIL");
    }

    static JsonNode json(Path ws, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(ws.resolve("modelgate").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--registry", ws.resolve(".modelgate/registry").toString()));
        Process p = new ProcessBuilder(cmd).directory(ws.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return new ObjectMapper().readTree(out);
    }
}
