package io.modelgate.cli;

import io.modelgate.common.RecordJson;
import io.modelgate.step.StepContext;
import io.modelgate.step.StepLog;
import io.modelgate.step.StepOutcome;
import io.modelgate.step.Steps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets never leave: steps run against a real registry served over HTTP with basic authentication
 * and a real OpenLineage endpoint (both {@link LoopbackServer}), with a password holding {@code @},
 * {@code :} and {@code %40} in registry URLs, BUILD_URL, JENKINS_URL, lineage parameters and the
 * OpenLineage URL, and an API key in the environment. Then every piece of the password is looked for
 * in the build log, in every outcome, in every file the steps wrote, and in what the servers received
 * (less the Authorization header, where a credential belongs): none may be found.
 */
class StepSecretsTest {
    /** A password as people write them into URLs: '@', ':' and an escaped '@' ("%40"). */
    static final String PASSWORD = "Tr0ub4dor@H0rse9:B4ttery7%40x";
    static final String API_KEY = "ol-S3cr3tT0kenValue-99";
    /** Every part of the secrets: a partial mask (the old one stopped at the first '@') shows one of them. */
    static final List<String> PIECES = List.of("Tr0ub4dor", "H0rse9", "B4ttery7", "S3cr3tT0ken",
            URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8));

    @TempDir
    Path tmp;
    Path workspace;
    LoopbackServer server;
    final StringWriter log = new StringWriter();
    final List<StepOutcome> outcomes = new ArrayList<>();
    /** The inputs this test wrote, which hold the password on purpose. */
    final java.util.Set<Path> inputs = new java.util.HashSet<>();

    @BeforeEach
    void start() throws Exception {
        workspace = Files.createDirectories(tmp.resolve("ws"));
        Path git = Files.createDirectories(tmp.resolve("git"));
        Process init = new ProcessBuilder("git", "init", "-q", "--bare", git.resolve("registry.git").toString())
                .redirectErrorStream(true).start();
        assertThat(init.waitFor()).as(new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        server = new LoopbackServer(git, "alice", PASSWORD);
        file("model.bin", "weights");
        file("data/train.csv", "a,b\n1,2\n");
        file("gate.yaml", "metrics:\n  roc_auc: {threshold: 0.7}\n");
        file("metrics.json", "{\"roc_auc\": 0.85}");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void file(String name, String text) throws IOException {
        Path p = workspace.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        inputs.add(p);
    }

    /** The build's environment: Jenkins URLs with the password in them, the registry's and OpenLineage's secrets. */
    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BUILD_URL", "https://builder:" + PASSWORD + "@ci.example.com/job/churn/7/");
        env.put("JENKINS_URL", "https://builder:" + PASSWORD + "@ci.example.com/");
        env.put("JOB_NAME", "churn");
        env.put("MODELGATE_GIT_USERNAME", "alice");
        env.put("MODELGATE_GIT_PASSWORD", PASSWORD);
        env.put("MODELGATE_REGISTRY_PASSWORD", PASSWORD);
        env.put("OPENLINEAGE_API_KEY", API_KEY);
        env.put("MODELGATE_ACTOR", "jenkins");
        return env;
    }

    private StepOutcome step(String step, Map<String, ?> params) {
        StepOutcome o = Steps.run(step, params, StepContext.of(workspace, env(), StepLog.to(new PrintWriter(log, true))));
        outcomes.add(o);
        return o;
    }

    private String registry(String userInfo) {
        return server.url(userInfo) + "/registry.git";
    }

    @Test
    void noPieceOfAPasswordOrKeyReachesTheLogTheOutcomesTheFilesOrTheWire() throws Exception {
        String encoded = URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
        // The registry over HTTP: the password from the environment, then written into the URL (encoded, as
        // Git wants it, and raw, as people paste it).
        assertThat(step("registerModel", Map.of("name", "churn", "artifact", "model.bin", "registry", registry("alice"),
                "description", "first")).result()).as(log.toString()).isEqualTo("SUCCESS");
        assertThat(step("validateModel", Map.of("policy", "gate.yaml", "metrics", "metrics.json", "register", "churn",
                "artifact", "model.bin", "registry", registry("alice:" + encoded))).result()).as(log.toString())
                .isEqualTo("SUCCESS");
        assertThat(step("promoteModel", Map.of("name", "churn", "version", "v0.0.2", "alias", "champion",
                "registry", registry("alice:" + encoded))).result()).as(log.toString()).isEqualTo("SUCCESS");
        step("registerModel", Map.of("name", "churn", "artifact", "model.bin", "registry", registry("alice:" + PASSWORD)));
        // A registry that is not there: the error names the registry, not the password.
        StepOutcome refused = step("rollbackModel", Map.of("name", "churn", "reason", "bad", "registry",
                server.url("mallory:" + PASSWORD) + "/nowhere.git"));
        assertThat(refused.result()).isEqualTo("FAILURE");
        assertThat(refused.message()).contains("127.0.0.1:" + server.port());
        // A parameter that is refused quotes its value.
        StepOutcome invalid = step("promoteModel", Map.of("name", "churn", "version", "v0.0.1", "stage", "staging",
                "approvers", "https://ops:" + PASSWORD + "@approvals.example.com/leads"));
        assertThat(invalid.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(invalid.message()).contains("approvals.example.com");

        // Lineage: parameters with credentials, OpenLineage with a key and a password in its URL.
        Map<String, String> params = Map.of("db", "postgres://etl:" + PASSWORD + "@db.internal/warehouse",
                "api_key", API_KEY, "lr", "0.1");
        StepOutcome lineage = step("recordLineage", Map.of("inputs", List.of("data/train.csv"), "outputs", List.of("model.bin"),
                "params", params, "openlineageUrl", server.url("ol:" + encoded) + "/", "requireEmit", true));
        assertThat(lineage.result()).as(log.toString()).isEqualTo("SUCCESS");
        assertThat(server.lineage).as("START and COMPLETE reached the endpoint").hasSize(2);
        assertThat(server.lineage.get(0).headers().get("Authorization")).containsExactly("Bearer " + API_KEY);
        assertThat(server.lineage.get(0).bodyText()).contains("db.internal/warehouse").contains("\"lr\":\"0.1\"");
        // An endpoint that is down: the events wait in the outbox, and the warning names where they go.
        StepOutcome pending = step("recordLineage", Map.of("inputs", List.of("data/train.csv"), "job", "retrain",
                "params", params, "openlineageUrl", "http://ol:" + encoded + "@127.0.0.1:1/"));
        assertThat(pending.result()).as(log.toString()).isEqualTo("SUCCESS");
        try (Stream<Path> outbox = Files.list(workspace.resolve(".modelgate/openlineage-outbox"))) {
            assertThat(outbox.filter(p -> p.toString().endsWith(".json"))).hasSize(2);
        }
        // The password pasted into the URL as it is: refused, saying how to write it.
        StepOutcome pasted = step("recordLineage", Map.of("inputs", List.of("data/train.csv"), "job", "pasted",
                "openlineageUrl", "http://ol:" + PASSWORD + "@127.0.0.1:1/"));
        assertThat(pasted.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(pasted.message()).contains("percent-encoded");

        // A canary whose plan and registry hold the password: the errors name them without it.
        file("canary.yaml", "model: churn\ncanary_version: v9.9.9\nstable: http://svc:" + encoded + "@127.0.0.1:9/\n"
                + "canary: http://svc:" + encoded + "@127.0.0.1:9/\n");
        StepOutcome canary = step("canaryRollout", Map.of("plan", "canary.yaml", "registry", registry("alice:" + encoded)));
        assertThat(canary.result()).isEqualTo("FAILURE");
        file("bad-metrics.yaml", "stable: http://a:1\ncanary: http://b:2\nmetrics: {provider: prometheus, url: 'http://prom:"
                + PASSWORD + "@[::1'}\n");
        StepOutcome badPlan = step("canaryRollout", Map.of("plan", "bad-metrics.yaml"));
        assertThat(badPlan.exitCode()).as(badPlan.message()).isEqualTo(Main.BAD_INPUT);
        assertThat(badPlan.message()).contains("metrics.url");

        // The shared library's face: modelgate step, its parameters in a file, its outcome in another.
        Path paramsFile = workspace.resolve("params.json");
        file("params.json", RecordJson.mapper().writeValueAsString(Map.of("name", "churn",
                "artifact", "model.bin", "registry", "http://alice:" + PASSWORD + "@127.0.0.1:1/registry.git")));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), Invocation.of(workspace, Map.of()),
                "step", "registerModel", "--params", paramsFile.toString(), "--result",
                workspace.resolve("outcome.json").toString());
        assertThat(code).as(err.toString()).isEqualTo(Main.EXTERNAL);
        assertThat(out.toString()).contains("+ modelgate registry register churn");

        assertThat(log.toString()).as("the build log shows the command lines, the registry's host and port too")
                .contains("--registry 'http://***@127.0.0.1:" + server.port() + "/registry.git'");
        List<String> leaks = new ArrayList<>();
        look("build log", log.toString(), leaks);
        look("modelgate step stdout", out.toString(), leaks);
        look("modelgate step stderr", err.toString(), leaks);
        for (StepOutcome o : outcomes) {
            look("outcome of " + o.step(), RecordJson.mapper().writeValueAsString(o), leaks);
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !inputs.contains(f)).toList()) {
                look(tmp.relativize(f).toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1), leaks);
            }
        }
        look("what the servers received (less Authorization)", server.receivedWithoutAuthorization(), leaks);
        assertThat(leaks).as("places that show a piece of a secret").isEmpty();
        // The files that were looked at include the reports and the outcome of each face.
        assertThat(workspace.resolve("modelgate-reports/verdict.json")).exists();
        assertThat(workspace.resolve("modelgate-reports/registry.html")).exists();
        assertThat(workspace.resolve("outcome.json")).exists();
    }

    private static void look(String where, String text, List<String> leaks) {
        for (String piece : PIECES) {
            int at = text.indexOf(piece);
            if (at >= 0) {
                leaks.add(where + ": ..." + text.substring(Math.max(0, at - 60), Math.min(text.length(), at + 40)) + "...");
            }
        }
    }
}
