package io.modelgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryCommandTest {
    @TempDir
    Path dir;
    Path artifact;
    Path policy;
    Path registry;

    record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    @BeforeEach
    void files() throws IOException {
        artifact = Files.writeString(dir.resolve("model.bin"), "weights");
        policy = Files.writeString(dir.resolve("policy.yaml"), "metrics: {roc_auc: {threshold: 0.7, min_absolute_change: -0.01}}\n");
        registry = dir.resolve("registry");
    }

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if ((args[0].equals("registry") || args[0].equals("validate")) && !all.contains("--registry")) {
            all.addAll(List.of("--registry", registry.toString(), "--actor", "tester", "--config", dir.resolve("none.yaml").toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private Path metrics(double auc) throws IOException {
        return Files.writeString(dir.resolve("m" + auc + ".json"), "{\"roc_auc\": " + auc + "}");
    }

    @Test
    void validateRegistersTheArtifactWithItsVerdictAndProductionThenAccepts() throws IOException {
        Run v = run("validate", "--policy", policy.toString(), "--metrics", metrics(0.8).toString(),
                "--report-dir", dir.resolve("r").toString(), "--register", "churn", "--artifact", artifact.toString());
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).contains("Recorded the verdict in the registry: attach verdict to churn@v0.0.1");

        Run refused = run("registry", "promote", "churn", "v0.0.1", "--to", "production");
        assertThat(refused.code()).isEqualTo(Main.FAILED);
        assertThat(refused.out()).startsWith("Refused: promote churn@v0.0.1 to production")
                .contains("takes versions from staging only");
        assertThat(run("registry", "promote", "churn", "v0.0.1", "--to", "staging").code()).isZero();
        Run prod = run("registry", "promote", "churn", "v0.0.1", "--to", "production", "--approver", "carol", "--json");
        assertThat(prod.code()).isZero();
        assertThat(prod.json().get("status").asText()).isEqualTo("applied");
        assertThat(prod.json().at("/event/approver").asText()).isEqualTo("carol");
        assertThat(prod.json().at("/state/stages/production/0").asText()).isEqualTo("v0.0.1");
    }

    /** Seeded predictions of a model whose scores separate the classes by {@code shift} standard deviations. */
    private Path predictions(String name, int rows, double shift, long seed) throws IOException {
        java.util.Random random = new java.util.Random(seed);
        StringBuilder csv = new StringBuilder("label,score\n");
        for (int i = 0; i < rows; i++) {
            int y = random.nextDouble() < 0.4 ? 1 : 0;
            double z = random.nextGaussian() + (y == 1 ? shift : 0);
            csv.append(y).append(',').append(String.format(java.util.Locale.ROOT, "%.6f", 1 / (1 + Math.exp(-z)))).append('\n');
        }
        return Files.writeString(dir.resolve(name), csv);
    }

    @Test
    void aRegisteredBaselineKeepsWhatItsIntervalsNeed() throws IOException {
        Run first = run("validate", "--policy", policy.toString(), "--predictions",
                predictions("base.csv", 2_000, 1.5, 1).toString(), "--report-dir", dir.resolve("r").toString(),
                "--register", "churn", "--artifact", artifact.toString());
        assertThat(first.code()).as(first.err()).isZero();
        run("registry", "promote", "churn", "v0.0.1", "--to", "staging");
        run("registry", "alias", "set", "churn", "champion", "v0.0.1");
        Run next = run("validate", "--policy", policy.toString(), "--predictions",
                predictions("cand.csv", 1_000, 1.5, 2).toString(), "--report-dir", dir.resolve("r2").toString(),
                "--baseline-model", "churn@champion", "--json");
        assertThat(next.code()).as(next.out() + next.err()).isZero();
        JsonNode change = next.json().get("results").get(1);
        assertThat(change.get("check").asText()).isEqualTo("absolute_change");
        assertThat(change.get("baseline_n").asLong()).as("the baseline's n, from its recorded verdict").isEqualTo(2_000);
        assertThat(change.get("n").asLong()).isEqualTo(1_000);
        assertThat(change.get("change_method").asText()).isEqualTo("unpaired");
        assertThat(change.get("p_value").isNumber()).isTrue();
        assertThat(next.json().at("/metrics/baseline/intervals/overall/roc_auc/method").asText()).isEqualTo("delong");
        Run verify = run("registry", "verify");
        assertThat(verify.code()).as("a verdict with intervals verifies: %s", verify.out()).isZero();
    }

    @Test
    void theNextGateTakesItsBaselineFromTheRegistry() throws IOException {
        run("validate", "--policy", policy.toString(), "--metrics", metrics(0.8).toString(),
                "--report-dir", dir.resolve("r").toString(), "--register", "churn", "--artifact", artifact.toString());
        run("registry", "promote", "churn", "v0.0.1", "--to", "staging");
        run("registry", "alias", "set", "churn", "champion", "v0.0.1");
        Run worse = run("validate", "--policy", policy.toString(), "--metrics", metrics(0.75).toString(),
                "--report-dir", dir.resolve("r2").toString(), "--baseline-model", "churn@champion", "--json");
        assertThat(worse.code()).isEqualTo(Main.FAILED);
        JsonNode change = worse.json().get("results").get(1);
        assertThat(change.get("baseline").asDouble()).isEqualTo(0.8);
        assertThat(worse.json().at("/inputs/baseline").asText()).isEqualTo("registry: churn@champion (v0.0.1)");
        Run none = run("validate", "--policy", policy.toString(), "--metrics", metrics(0.75).toString(),
                "--report-dir", dir.resolve("r3").toString(), "--baseline-model", "churn@production");
        assertThat(none.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(none.err()).contains("churn has no version in production");
    }

    @Test
    void verdictForAnotherArtifactIsRejected() throws IOException {
        run("registry", "register", "churn", "--artifact", artifact.toString());
        Path other = Files.writeString(dir.resolve("other.bin"), "different weights");
        Run r = run("validate", "--policy", policy.toString(), "--metrics", metrics(0.8).toString(),
                "--report-dir", dir.resolve("r").toString(), "--register", "churn@v0.0.1", "--artifact", other.toString());
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("the verdict judged an artifact with sha256").doesNotContain("\tat ");
    }

    @Test
    void unknownModelVersionOrStageExitTwoAndNameIt() {
        run("registry", "register", "churn", "--artifact", artifact.toString());
        Run model = run("registry", "show", "fraud");
        assertThat(model.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(model.err().strip()).isEqualTo("modelgate: unknown model 'fraud'; models: churn");
        assertThat(run("registry", "show", "churn", "v3.0.0").err()).contains("unknown version 'v3.0.0' of churn");
        assertThat(run("registry", "promote", "churn", "v0.0.1", "--to", "prod").err())
                .contains("unknown stage 'prod'; stages: staging, production, archived");
    }

    /** Issue 15: after rc.2 and rc.10, {@code registry show} said the latest was rc.2. */
    @Test
    void registryShowSaysTheLatestIsRc10AfterRc2() throws IOException {
        for (String v : List.of("v1.0.0-rc.2", "v1.0.0-rc.10")) {
            Run reg = run("registry", "register", "churn", "--artifact", artifact.toString(), "--version", v);
            assertThat(reg.code()).as(reg.err()).isZero();
        }
        Run show = run("registry", "show", "churn");
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).startsWith("churn: latest v1.0.0-rc.10, 2 events");
        assertThat(run("registry", "show", "churn", "--json").json().get("latest").asText()).isEqualTo("v1.0.0-rc.10");
        assertThat(run("registry", "show", "churn@latest").out()).startsWith("churn@v1.0.0-rc.10");
        Run bad = run("registry", "register", "churn", "--artifact", artifact.toString(), "--version", "v1.0.0-rc..3");
        assertThat(bad.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(bad.err()).startsWith("modelgate: version 'v1.0.0-rc..3' is not a Semantic Version 2.0.0")
                .doesNotContain("\tat ").hasLineCount(1);
    }

    @Test
    void unreachableRemoteRegistryExitsThree() {
        Run r = run("registry", "list", "--registry", "file://" + dir.resolve("no-such-repo.git"));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.EXTERNAL);
        assertThat(r.err()).startsWith("modelgate: registry file://").contains("cannot be reached").doesNotContain("\tat ");
    }

    @Test
    void historyAndVerifyAndRollbackFromTheCommandLine() throws IOException {
        for (int i = 0; i < 2; i++) {
            run("validate", "--policy", policy.toString(), "--metrics", metrics(0.8).toString(), "--report-dir",
                    dir.resolve("r").toString(), "--register", "churn", "--artifact", artifact.toString());
            String v = "v0.0." + (i + 1);
            run("registry", "promote", "churn", v, "--to", "staging");
            assertThat(run("registry", "promote", "churn", v, "--to", "production").code()).isZero();
        }
        Run back = run("registry", "rollback", "churn", "--reason", "p99 latency doubled");
        assertThat(back.code()).as(back.err()).isZero();
        assertThat(back.out()).startsWith("Roll back churn production from v0.0.2 to v0.0.1");
        Run history = run("registry", "history", "churn", "--json");
        assertThat(history.json().get("events")).hasSize(9);
        assertThat(history.json().at("/events/0/event/reason").asText()).isEqualTo("p99 latency doubled");
        assertThat(run("registry", "history", "churn").out()).contains("by tester: p99 latency doubled");
        Run verify = run("registry", "verify");
        assertThat(verify.code()).isZero();
        assertThat(verify.out()).startsWith("Registry OK: 1 models, 9 events replayed");
        assertThat(run("registry", "rollback", "churn").code()).isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void historyWritesItsPageOnlyWhenAskedAndKeepsItsJsonOutput() throws IOException {
        run("validate", "--policy", policy.toString(), "--metrics", metrics(0.8).toString(),
                "--report-dir", dir.resolve("r").toString(), "--register", "churn", "--artifact", artifact.toString());
        run("registry", "promote", "churn", "v0.0.1", "--to", "staging", "--reason", "<img src=x onerror=alert(1)>");
        Path pages = dir.resolve("pages");

        Run plain = run("registry", "history", "churn", "--json");
        assertThat(pages).doesNotExist();
        Run withPage = run("registry", "history", "churn", "--json", "--report-dir", pages.toString());

        assertThat(withPage.code()).as(withPage.err()).isZero();
        assertThat(withPage.json().get("events")).isEqualTo(plain.json().get("events"));
        assertThat(withPage.err()).startsWith("Page: file:").contains("registry.html");
        assertThat(Files.readString(pages.resolve("registry.html"))).contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("staging");
        assertThat(pages.resolve("registry.json")).exists();
        assertThat(Files.readString(pages.resolve("index.html"))).contains("href=\"registry.html\"");
    }
}
