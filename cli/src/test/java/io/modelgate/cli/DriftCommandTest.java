package io.modelgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class DriftCommandTest {
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

    private void assertBadInput(Run r, String... fragments) {
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("modelgate: ").contains(fragments);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** age (numeric), plan (categorical), score; {@code shift} moves age and the score, and changes plans. */
    private Path data(String name, int rows, double shift, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder("age,plan,score,label\n");
        String[] plans = {"basic", "plus", "pro"};
        for (int i = 0; i < rows; i++) {
            double age = 40 + 10 * gauss(r) + shift * 10;
            String plan = plans[r.nextDouble() < 0.2 + shift * 0.5 ? 2 : r.nextInt(2)];
            double score = Math.min(1, Math.max(0, 0.3 + 0.1 * gauss(r) + shift * 0.3));
            int label = r.nextDouble() < score ? 1 : 0;
            s.append(String.format(Locale.ROOT, "%.2f,%s,%.4f,%d%n", age, plan, score, label));
        }
        return Files.writeString(dir.resolve(name), s.toString());
    }

    private static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private String[] drift(Path ref, Path cur, String... more) {
        String[] base = {"drift", "--reference", ref.toString(), "--current", cur.toString(),
                "--report-dir", dir.resolve("reports").toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void sameDistributionPassesAndWritesEveryReport() throws IOException {
        Run r = run(drift(data("ref.csv", 3000, 0, 1), data("cur.csv", 2000, 0, 2)));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("Modelgate drift: PASS").contains("Wasserstein distance (normed)")
                .contains("Jensen-Shannon distance").contains("Metrics on the current window: roc_auc");
        for (String f : new String[] {"drift.json", "drift-junit.xml", "drift.md", "drift.html", "modelgate.css"}) {
            assertThat(dir.resolve("reports").resolve(f)).exists();
        }
    }

    @Test
    void shiftedWindowFailsWithExitOneAndNamesMethodStatisticThresholdAndSizes() throws IOException {
        Run r = run(drift(data("ref.csv", 3000, 0, 1), data("cur.csv", 2000, 1, 2), "--json"));
        assertThat(r.code()).isEqualTo(Main.FAILED);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("schema").asText()).isEqualTo("modelgate/drift/v1");
        assertThat(j.get("status").asText()).isEqualTo("FAIL");
        assertThat(j.get("dataset").get("drift").asBoolean()).isTrue();
        assertThat(j.get("prediction").get("column").asText()).isEqualTo("score");
        JsonNode age = j.get("columns").get(0);
        assertThat(age.get("name").asText()).isEqualTo("age");
        assertThat(age.get("method").asText()).isEqualTo("wasserstein");
        assertThat(age.get("threshold").asDouble()).isEqualTo(0.1);
        assertThat(age.get("reference_size").asLong()).isEqualTo(3000);
        assertThat(age.get("current_size").asLong()).isEqualTo(2000);
        assertThat(age.get("message").asText()).contains(">= 0.1").contains("reference 3,000 values, current 2,000");
        assertThat(j.get("metrics").get("current").get("roc_auc")).isNotNull();
    }

    @Test
    void smallReferenceUsesKsAndChiSquare() throws IOException {
        Run r = run(drift(data("ref.csv", 800, 0, 1), data("cur.csv", 900, 0, 2), "--json"));
        assertThat(r.code()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("\"method\" : \"ks\"").contains("\"method\" : \"chisquare\"");
    }

    @Test
    void psiWarnBandWarnsAndExitsZeroUnlessFailOnWarn() throws IOException {
        Path policy = Files.writeString(dir.resolve("drift.yaml"), """
                method: psi
                psi: {warn: 0.0001, fail: 5}
                """);
        Path ref = data("ref.csv", 3000, 0, 1);
        Path cur = data("cur.csv", 3000, 0.1, 2);
        Run r = run(drift(ref, cur, "--policy", policy.toString()));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("Modelgate drift: WARN").contains("warn band");
        assertThat(run(drift(ref, cur, "--policy", policy.toString(), "--fail-on", "warn")).code()).isEqualTo(Main.FAILED);
    }

    @Test
    void gzipInputsAreRead() throws IOException {
        Path ref = data("ref.csv", 2000, 0, 1);
        Path gz = dir.resolve("cur.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(Files.readAllBytes(data("cur.csv", 2000, 0, 2)));
        }
        assertThat(run(drift(ref, gz)).code()).isEqualTo(Main.OK);
    }

    @Test
    void columnMissingFromOneSideIsOneLineExitTwo() throws IOException {
        Path ref = data("ref.csv", 100, 0, 1);
        Path cur = Files.writeString(dir.resolve("cur.csv"), "age,plan,score\n40,basic,0.2\n41,plus,0.3\n");
        assertBadInput(run(drift(ref, cur)), "cur.csv", "no column 'label'", "ignore");
        assertBadInput(run(drift(cur, ref)), "cur.csv", "no column 'label'");
    }

    @Test
    void textInNumericColumnIsOneLineExitTwoWithLine() throws IOException {
        Path ref = data("ref.csv", 100, 0, 1);
        String body = Files.readString(data("cur.csv", 50, 0, 2));
        Path cur = Files.writeString(dir.resolve("cur.csv"), body + "forty,basic,0.2,0\n");
        assertBadInput(run(drift(ref, cur)), "cur.csv line 52", "column 'age' is numeric but has 'forty'", "categorical");
    }

    @Test
    void emptyWindowIsOneLineExitTwo() throws IOException {
        Path ref = data("ref.csv", 100, 0, 1);
        Path cur = Files.writeString(dir.resolve("cur.csv"), "age,plan,score,label\n");
        assertBadInput(run(drift(ref, cur)), "cur.csv", "no rows");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        assertBadInput(run(drift(ref, empty)), "empty.csv", "empty");
    }

    @Test
    void constantColumnIsLabelledNotEnoughDataAndExitsTwo() throws IOException {
        Path ref = Files.writeString(dir.resolve("ref.csv"), "x,c\n1,a\n2,a\n3,a\n4,a\n5,a\n6,a\n");
        Path cur = Files.writeString(dir.resolve("cur.csv"), "x,c\n1,a\n2,a\n3,a\n9,a\n5,a\n6,a\n");
        Run r = run(drift(ref, cur));
        assertBadInput(r, "c: not enough data", "constant");
        assertThat(r.out()).contains("NOT ENOUGH DATA");
        assertThat(dir.resolve("reports/drift.json")).content().contains("NOT_ENOUGH_DATA");
    }

    @Test
    void misspeltPolicyKeyIsOneLineWithDidYouMean() throws IOException {
        Path policy = Files.writeString(dir.resolve("drift.yaml"), "drift_shar: 0.3\n");
        assertBadInput(run(drift(data("ref.csv", 10, 0, 1), data("cur.csv", 10, 0, 2), "--policy", policy.toString())),
                "drift.yaml", "unknown key 'drift_shar'", "did you mean 'drift_share'");
    }
}
