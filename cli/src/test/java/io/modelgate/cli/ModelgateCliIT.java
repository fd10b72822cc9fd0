package io.modelgate.cli;

import io.modelgate.testing.SourceTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The real jar and launcher, as separate processes, as Jenkins runs them. */
class ModelgateCliIT {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    private static Path jar() {
        return Path.of(System.getProperty("modelgate.jar", "target/modelgate.jar"));
    }

    private Result exec(List<String> command) throws IOException, InterruptedException {
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished in time: %s", command).isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Result modelgate(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    @Test
    void demoRunsEndToEndAndWritesTheReports() throws Exception {
        Path work = dir.resolve("demo");
        Result r = modelgate("demo", "--workdir", work.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("[1/8] Prepare data").contains("[3/8] Validate candidate")
                .contains("Gate verdict: ").contains("index.html");
        for (String page : List.of("index.html", "gate.html", "lineage.html", "registry.html", "canary.html")) {
            assertThat(work.resolve("modelgate-reports").resolve(page)).exists();
        }
        assertThat(Files.readString(work.resolve("modelgate-reports/index.html"))).contains("href=\"gate.html\"")
                .contains("href=\"lineage.html\"").contains("href=\"registry.html\"").contains("href=\"canary.html\"");
        assertThat(work.resolve("modelgate-reports/modelgate.css")).exists();
        assertThat(work.resolve("modelgate-reports/junit.xml")).exists();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void badInputExitsTwoWithOneLineAndNoStackTrace() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "metrics: {roc_auc: {threshold: 0.7}}\n");
        Path preds = Files.writeString(dir.resolve("p.csv"), "label,score\n1,0.9\n0,zero\n");
        Result r = modelgate("validate", "--policy", policy.toString(), "--predictions", preds.toString(),
                "--report-dir", dir.resolve("r").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("modelgate: ").contains("p.csv").contains("line 3").doesNotContain("\n");
    }

    @Test
    void gateFailureExitsOne() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "metrics: {roc_auc: {threshold: 0.99}}\n");
        Path metrics = Files.writeString(dir.resolve("m.json"), "{\"auc\": 0.8}");
        Result r = modelgate("validate", "--policy", policy.toString(), "--metrics", metrics.toString(),
                "--report-dir", dir.resolve("r").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL").contains("roc_auc is 0.8, below the minimum 0.99");
    }

    @Test
    void launcherRunsTheBuiltJar() throws Exception {
        Path launcher = SourceTree.resolve("modelgate");
        Result r = exec(List.of(launcher.toString(), "--version"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("modelgate ");
    }
}
