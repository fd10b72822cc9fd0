package io.modelgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReportCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void indexListsThePagesOfTheReportDirectory() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "metrics: {roc_auc: {threshold: 0.7}}\n");
        Path metrics = Files.writeString(dir.resolve("m.json"), "{\"roc_auc\": 0.8}");
        Path reports = dir.resolve("reports");
        assertThat(run("validate", "--policy", policy.toString(), "--metrics", metrics.toString(), "--report-dir",
                reports.toString()).code()).isZero();
        Files.delete(reports.resolve("index.html"));
        Files.writeString(reports.resolve("notes.html"), "<!DOCTYPE html><title>notes</title>");

        Run text = run("report", "index", "--report-dir", reports.toString());

        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).startsWith("Index: file:").contains("(2 pages)").contains("gate.html      PASS");
        assertThat(Files.readString(reports.resolve("index.html"))).contains("href=\"gate.html\"").contains("href=\"notes.html\"");

        JsonNode json = new ObjectMapper().readTree(run("report", "index", "--report-dir", reports.toString(), "--json").out());
        assertThat(json.get("index").asText()).endsWith("index.html");
        assertThat(json.at("/pages/0/page").asText()).isEqualTo("gate.html");
        assertThat(json.at("/pages/0/status").asText()).isEqualTo("PASS");
        assertThat(json.at("/pages/1/kind").asText()).isEqualTo("page");
    }

    @Test
    void aMissingReportDirectoryIsAOneLineUsageError() {
        Run r = run("report", "index", "--report-dir", dir.resolve("typo").toString());

        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip()).isEqualTo("modelgate: --report-dir: " + dir.resolve("typo") + " is not a directory");
        assertThat(dir.resolve("typo")).doesNotExist();
    }
}
