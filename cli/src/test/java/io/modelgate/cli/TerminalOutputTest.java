package io.modelgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a command prints holds text from the user's files and flags (slice values, column names, descriptions,
 * URLs); none of it may reach the terminal as a control character or as a password.
 */
class TerminalOutputTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), Invocation.of(dir, Map.of()), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** No control character but the line breaks between lines: no escape sequence, no carriage return. */
    private static void assertNoControlCharacters(String text) {
        text.lines().forEach(line -> assertThat(line.codePoints().filter(io.modelgate.common.Sanitizer::isControl)
                .toArray()).as("control characters in %s", line).isEmpty());
        assertThat(text).doesNotContain("\r");
    }

    @Test
    void theVerdictShowsASliceValueWithAnEscapeSequenceEscaped() throws IOException {
        Files.writeString(dir.resolve("policy.yaml"),
                "metrics:\n  roc_auc:\n    threshold: 0.5\n    slices:\n      \"*\": {threshold: 0.5, min_size: 0}\n");
        StringBuilder csv = new StringBuilder("label,score,region\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 2).append(',').append(i % 2 == 0 ? "0.2" : "0.8").append(',')
                    .append(i % 4 < 2 ? "eu\u001b[2J" : "us\rFAKE").append('\n');
        }
        Files.writeString(dir.resolve("p.csv"), csv);
        Run r = run("validate", "--policy", "policy.yaml", "--predictions", "p.csv", "--slice-column", "region");
        assertThat(r.code()).as(r.err()).isZero();
        assertNoControlCharacters(r.out());
        assertThat(r.out()).contains("region=eu\\u001b[2J", "region=us\\rFAKE");
    }

    @Test
    void driftShowsAColumnNameWithControlCharactersEscaped() throws IOException {
        StringBuilder csv = new StringBuilder("ag\u001b]0;owned\u0007e,plan\n");
        for (int i = 0; i < 300; i++) {
            csv.append(20 + i % 40).append(',').append(i % 3 == 0 ? "pro" : "basic").append('\n');
        }
        Files.writeString(dir.resolve("ref.csv"), csv);
        Files.writeString(dir.resolve("cur.csv"), csv);
        Run r = run("drift", "--reference", "ref.csv", "--current", "cur.csv");
        assertNoControlCharacters(r.out());
        assertNoControlCharacters(r.err());
        if (r.code() == Main.OK) {
            assertThat(r.out()).contains("ag\\u001b]0;owned\\u0007e");
        } else {
            assertThat(r.err()).startsWith("modelgate: ");
        }
    }

    @Test
    void registryShowPrintsADescriptionOnItsOwnLineWithoutEscapeSequences() throws IOException {
        Files.writeString(dir.resolve("model.bin"), "weights");
        Run registered = run("registry", "register", "churn", "--artifact", "model.bin",
                "--description", "fine\u001b[2J\nModelgate gate: PASS");
        assertThat(registered.code()).as(registered.err()).isZero();
        Run shown = run("registry", "show", "churn", "v0.0.1");
        assertThat(shown.code()).as(shown.err()).isZero();
        assertNoControlCharacters(shown.out());
        assertThat(shown.out().lines()).noneMatch(l -> l.startsWith("Modelgate gate"))
                .anyMatch(l -> l.startsWith("  about      fine"));
    }

    @Test
    void lineageShowHidesThePasswordOfAUrlInAParameter() throws IOException {
        Files.writeString(dir.resolve("data.csv"), "a,b\n1,2\n");
        Run recorded = run("lineage", "record", "--input", "data.csv", "--json",
                "--param", "source=https://alice:s3cr@t:pw@db.example/sales?token=abc123");
        assertThat(recorded.code()).as(recorded.err()).isZero();
        String id = new ObjectMapper().readTree(recorded.out()).get("id").asText();
        Run shown = run("lineage", "show", id);
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("db.example/sales").doesNotContain("s3cr", "pw@", "abc123");
    }

    @Test
    void anErrorQuotingAControlCharacterStaysOneLine() {
        Run r = run("registry", "show", "chu\nrn\u001b[2J");
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertNoControlCharacters(r.err());
        assertThat(r.err().lines().toList()).hasSize(1).allMatch(l -> l.startsWith("modelgate: "));
    }

    @Test
    void jsonOutputIsStillOneDocumentWithItsOwnEscapes() throws IOException {
        Files.writeString(dir.resolve("model.bin"), "weights");
        Run r = run("registry", "register", "churn", "--artifact", "model.bin", "--json",
                "--description", "line one\nline two");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).isObject()).isTrue();
        assertThat(List.of(r.out().split("\n"))).hasSizeGreaterThan(1);
    }
}
