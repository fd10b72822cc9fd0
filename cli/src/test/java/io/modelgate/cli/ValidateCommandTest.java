package io.modelgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ValidateCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path policy() throws IOException {
        return file("policy.yaml", """
                metrics:
                  roc_auc: {threshold: 0.7, min_absolute_change: -0.05}
                  accuracy: {threshold: 0.6, severity: warn}
                """);
    }

    private static final String GOOD = """
            label,score,region
            1,0.9,eu
            0,0.2,eu
            1,0.7,us
            0,0.4,us
            1,0.35,eu
            0,0.1,us
            """;

    /** A user mistake: exit 2, one line naming the problem, never a stack trace. */
    private void assertBadInput(Run r, String... fragments) {
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("modelgate: ").contains(fragments);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private String[] validate(Path predictions, String... more) throws IOException {
        String[] base = {"validate", "--policy", policy().toString(), "--predictions", predictions.toString(),
                "--report-dir", dir.resolve("reports").toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void passingPredictionsExitZeroAndWriteEveryReport() throws IOException {
        Run r = run(validate(file("p.csv", GOOD), "--slice-column", "region"));
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).startsWith("Modelgate gate: PASS").contains("roc_auc[overall]");
        for (String f : new String[]{"verdict.json", "junit.xml", "verdict.md", "gate.html", "index.html", "modelgate.css"}) {
            assertThat(dir.resolve("reports").resolve(f)).exists();
        }
    }

    @Test
    void jsonOutputIsTheVerdictDocument() throws IOException {
        Run r = run(validate(file("p.csv", GOOD), "--json"));
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("status").asText()).isEqualTo("PASS");
        assertThat(json.get("results")).hasSize(3);
    }

    @Test
    void failingGateExitsOneAndWarnOnlyWithFailOnWarn() throws IOException {
        Path metrics = file("m.json", "{\"roc_auc\": 0.65, \"accuracy\": 0.9}");
        Run fail = run("validate", "--policy", policy().toString(), "--metrics", metrics.toString(),
                "--report-dir", dir.resolve("r1").toString());
        assertThat(fail.code()).isEqualTo(Main.FAILED);
        assertThat(fail.out()).contains("roc_auc is 0.65, below the minimum 0.7");

        Path warn = file("w.json", "{\"roc_auc\": 0.9, \"accuracy\": 0.5}");
        String[] args = {"validate", "--policy", policy().toString(), "--metrics", warn.toString(),
                "--report-dir", dir.resolve("r2").toString()};
        assertThat(run(args).code()).isEqualTo(Main.OK);
        String[] strict = java.util.Arrays.copyOf(args, args.length + 2);
        strict[args.length] = "--fail-on";
        strict[args.length + 1] = "warn";
        assertThat(run(strict).code()).isEqualTo(Main.FAILED);
    }

    @Test
    void baselinePredictionsFeedTheChangeChecks() throws IOException {
        Path baseline = file("b.csv", GOOD.replace("1,0.35,eu", "1,0.95,eu"));
        Run r = run(validate(file("p.csv", GOOD), "--baseline-predictions", baseline.toString(), "--json"));
        JsonNode change = new ObjectMapper().readTree(r.out()).get("results").get(1);
        assertThat(change.get("check").asText()).isEqualTo("absolute_change");
        assertThat(change.get("baseline").asDouble()).isEqualTo(1.0);
        assertThat(change.get("baseline_n").asLong()).isEqualTo(change.get("n").asLong());
        assertThat(change.get("change_method").asText()).isEqualTo("unpaired");
        // on a handful of rows the loss is not significant: the default reading passes it, and says why
        assertThat(r.code()).isEqualTo(Main.OK);
        assertThat(change.get("message").asText()).contains("but not significantly");
        // read as a point, the same loss fails
        Path point = file("point.yaml", "mode: point\nmetrics:\n  roc_auc: {threshold: 0.7, min_absolute_change: -0.05}\n");
        Run p = run(new String[]{"validate", "--policy", point.toString(), "--predictions", file("p.csv", GOOD).toString(),
                "--baseline-predictions", baseline.toString(), "--report-dir", dir.resolve("reports").toString()});
        assertThat(p.code()).isEqualTo(Main.FAILED);
    }

    @Test
    void aBaselineScoreColumnIsJudgedPairedRowByRow() throws IOException {
        StringBuilder csv = new StringBuilder("label,score,old_score\n");
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 3_000; i++) {
            int y = random.nextDouble() < 0.4 ? 1 : 0;
            double z = random.nextGaussian() + (y == 1 ? 1.5 : 0);
            double worse = z + 1.5 * random.nextGaussian();
            csv.append(y).append(',').append(String.format(java.util.Locale.ROOT, "%.6f,%.6f%n",
                    1 / (1 + Math.exp(-worse)), 1 / (1 + Math.exp(-z))));
        }
        Path both = file("both.csv", csv.toString());
        Run r = run(validate(both, "--baseline-score-column", "old_score", "--json"));
        JsonNode change = new ObjectMapper().readTree(r.out()).get("results").get(1);
        assertThat(change.get("change_method").asText()).isEqualTo("paired-delong");
        assertThat(change.get("outcome").asText()).isEqualTo("FAIL");
        assertThat(r.code()).isEqualTo(Main.FAILED);
        Run missing = run(validate(both, "--baseline-score-column", "nope"));
        assertThat(missing.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(missing.err()).startsWith("modelgate: ").contains("nope");
    }

    @Test
    void anIdColumnJoinsTwoFilesForAPairedComparison() throws IOException {
        Path cand = file("c.csv", "id,label,score\na,1,0.9\nb,0,0.2\nc,1,0.7\nd,0,0.4\n");
        Path base = file("b2.csv", "id,label,score\nd,0,0.3\nc,1,0.8\nb,0,0.1\na,1,0.95\n");
        Run r = run(validate(cand, "--baseline-predictions", base.toString(), "--id-column", "id", "--json"));
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        JsonNode change = new ObjectMapper().readTree(r.out()).get("results").get(1);
        assertThat(change.get("baseline").asDouble()).isEqualTo(1.0);
        Path stranger = file("b3.csv", "id,label,score\nd,0,0.3\nc,1,0.8\nb,0,0.1\nz,1,0.95\n");
        Run bad = run(validate(cand, "--baseline-predictions", stranger.toString(), "--id-column", "id"));
        assertThat(bad.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(bad.err()).contains("b3.csv").contains("no row with id 'a'");
        Run twice = run(validate(file("dup.csv", "id,label,score\na,1,0.9\na,0,0.2\n"), "--baseline-predictions",
                base.toString(), "--id-column", "id"));
        assertThat(twice.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(twice.err()).contains("'a' is on two rows");
        Run alone = run(validate(cand, "--id-column", "id"));
        assertThat(alone.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(alone.err()).contains("--id-column joins two predictions files");
    }

    @Test
    void readsGzipPredictions() throws IOException {
        Path gz = dir.resolve("p.csv.gz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
            z.write(GOOD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Files.write(gz, bytes.toByteArray());
        assertThat(run(validate(gz)).code()).isEqualTo(Main.OK);
    }

    @Test
    void malformedCsvRowNamesFileAndLine() throws IOException {
        assertBadInput(run(validate(file("p.csv", "label,score\n1,0.9\n0\n"))), "p.csv", "line 3");
    }

    @Test
    void missingColumnNamesTheColumn() throws IOException {
        assertBadInput(run(validate(file("p.csv", "y,score\n1,0.9\n"))), "p.csv", "label");
        assertBadInput(run(validate(file("q.csv", GOOD), "--slice-column", "country")), "q.csv", "country");
    }

    @Test
    void labelThatIsNotZeroOrOneForAClassifier() throws IOException {
        assertBadInput(run(validate(file("p.csv", "label,score\n1,0.9\n2,0.3\n"))), "p.csv", "line 3", "'2'");
    }

    @Test
    void nonNumericScore() throws IOException {
        assertBadInput(run(validate(file("p.csv", "label,score\n1,0.9\n0,abc\n"))), "p.csv", "line 3", "abc");
    }

    @Test
    void emptyFiles() throws IOException {
        assertBadInput(run(validate(file("p.csv", ""))), "p.csv", "empty");
        Path metrics = file("m.json", "");
        assertBadInput(run("validate", "--policy", policy().toString(), "--metrics", metrics.toString()), "m.json", "empty");
    }

    @Test
    void yamlSyntaxErrorAndUnknownKeyOrMetricInThePolicy() throws IOException {
        Path preds = file("p.csv", GOOD);
        Path broken = file("broken.yaml", "metrics:\n  roc_auc: {threshold: 0.7\n");
        assertBadInput(run("validate", "--policy", broken.toString(), "--predictions", preds.toString()),
                "broken.yaml line", "not valid YAML");
        Path key = file("key.yaml", "metrics:\n  roc_auc: {treshold: 0.7}\n");
        assertBadInput(run("validate", "--policy", key.toString(), "--predictions", preds.toString()),
                "key.yaml", "metrics.roc_auc.treshold", "did you mean 'threshold'");
        Path metric = file("metric.yaml", "metrics:\n  aucc: {threshold: 0.7}\n");
        assertBadInput(run("validate", "--policy", metric.toString(), "--predictions", preds.toString()),
                "metric.yaml", "unknown metric 'aucc'");
    }

    @Test
    void filesThatDoNotExist() throws IOException {
        assertBadInput(run(validate(dir.resolve("missing.csv"))), "missing.csv");
        assertBadInput(run("validate", "--policy", dir.resolve("nope.yaml").toString(), "--metrics", "m.json"),
                "nope.yaml", "no such file");
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        Run none = run("validate", "--policy", policy().toString());
        assertThat(none.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(none.err()).contains("--metrics").contains("--predictions");
        assertBadInput(run(validate(file("p.csv", GOOD), "--task", "ranking")), "--task", "ranking");
        assertThat(run("frobnicate").code()).isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void unwritableReportDirectoryIsABadInputNotACrash() throws IOException {
        Path blocker = file("blocker", "a file, not a directory");
        Run r = run("validate", "--policy", policy().toString(), "--predictions", file("p.csv", GOOD).toString(),
                "--report-dir", blocker.resolve("sub").toString());
        assertBadInput(r, "blocker");
    }

    @Test
    void helpAndVersion() {
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("validate").contains("demo").contains("Exit codes");
        Run version = run("--version");
        assertThat(version.out()).startsWith("modelgate ");
    }
}
