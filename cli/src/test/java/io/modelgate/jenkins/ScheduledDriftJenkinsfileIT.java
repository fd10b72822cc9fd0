package io.modelgate.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The example scheduled drift job (examples/drift/Jenkinsfile) in the Jenkins step recorder, against the real command line. */
class ScheduledDriftJenkinsfileIT {
    @TempDir
    Path tmp;

    @Test
    void driftStartsTheRetrainingJobAndMarksTheBuildUnstable() throws Exception {
        Path ws = Workspaces.checkout(tmp.resolve("ws"));
        JenkinsStepRecorder jenkins = Workspaces.recorder(ws);

        String result = jenkins.runJenkinsfile(ws.resolve("examples/drift/Jenkinsfile"));

        assertThat(result).as(jenkins.log()).isEqualTo("UNSTABLE");
        assertThat(jenkins.calls("publishChecks")).singleElement().satisfies(c -> {
            assertThat(c.args()).containsEntry("name", "Modelgate: drift").containsEntry("conclusion", "FAILURE");
            assertThat(c.args().get("text").toString()).contains("monthly\\_charges", "support\\_calls");
        });
        assertThat(jenkins.calls("junit")).singleElement()
                .satisfies(c -> assertThat(c.args()).containsEntry("testResults", "modelgate-reports/drift-junit.xml"));
        assertThat(Files.readString(ws.resolve("modelgate-reports/drift-junit.xml"))).contains("<failure");
        assertThat(jenkins.calls("build")).singleElement().satisfies(c -> {
            assertThat(c.args()).containsEntry("job", "churn-train").containsEntry("wait", false);
            assertThat(c.args().get("parameters").toString()).contains("data drift: FAIL:");
        });
        assertThat(ws.resolve("modelgate-reports/drift.html")).exists();
        assertThat(ws.resolve("modelgate-reports/index.html")).content().contains("href=\"drift.html\"");
    }

    @Test
    void driftCanRollProductionBackInstead() throws Exception {
        Path ws = Workspaces.checkout(tmp.resolve("ws"));
        Files.writeString(ws.resolve("m.json"), "{\"roc_auc\": 0.8}");
        Files.writeString(ws.resolve("p.yaml"), "metrics:\n  roc_auc: {threshold: 0.75}\n");
        JenkinsStepRecorder setup = Workspaces.recorder(ws).env("MODELGATE_CLI", ws.resolve("modelgate").toString())
                .env("MODELGATE_REGISTRY", ws.resolve(".modelgate/registry").toString());
        for (String v : List.of("v0.0.1", "v0.0.2")) {
            Files.writeString(ws.resolve("model.bin"), "weights " + v);
            setup.run("def r = registerModel(name: 'churn', artifact: 'model.bin')\n"
                    + "validateModel(policy: 'p.yaml', metrics: 'm.json', register: 'churn@' + r.event.version, artifact: 'model.bin')\n"
                    + "promoteModel(name: 'churn', version: r.event.version, stage: 'staging')\n"
                    + "promoteModel(name: 'churn', version: r.event.version, stage: 'production')");
        }
        JenkinsStepRecorder jenkins = Workspaces.recorder(ws).env("DRIFT_RESPONSE", "rollback");

        String result = jenkins.runJenkinsfile(ws.resolve("examples/drift/Jenkinsfile"));

        assertThat(result).as(jenkins.log()).isEqualTo("UNSTABLE");
        assertThat(jenkins.calls("build")).isEmpty();
        JsonNode state = JenkinsfileIT.json(ws, "registry", "show", "churn", "--json");
        assertThat(state.at("/stages/production/0").asText()).as(state.toString()).isEqualTo("v0.0.1");
        JsonNode v2 = JenkinsfileIT.json(ws, "registry", "show", "churn", "v0.0.2", "--json");
        assertThat(v2.at("/rejections/0/reason").asText()).startsWith("data drift: FAIL:");
        assertThat(jenkins.calls("publishChecks")).extracting(c -> (Object) c.args().get("name"))
                .containsExactly("Modelgate: drift", "Modelgate: rollback");
        assertThat(jenkins.calls("publishChecks").get(1).args()).isInstanceOf(Map.class);
    }
}
