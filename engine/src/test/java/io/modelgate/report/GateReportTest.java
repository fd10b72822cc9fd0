package io.modelgate.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GateReportTest {

    @Test
    void writesEveryReportFileIntoANewDirectory(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("a/b/modelgate-reports");

        ReportFiles files = GateReport.write(Verdicts.mixed(), dir);

        assertThat(files.json()).isEqualTo(dir.resolve("verdict.json"));
        assertThat(files.junit()).isEqualTo(dir.resolve("junit.xml"));
        assertThat(files.markdown()).isEqualTo(dir.resolve("verdict.md"));
        assertThat(files.html()).isEqualTo(dir.resolve("gate.html"));
        assertThat(files.index()).isEqualTo(dir.resolve("index.html"));
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("verdict.json", "junit.xml", "verdict.md", "gate.html", "index.html",
                            "modelgate.css", ReportIndex.LOCK);
        }
        assertThat(Files.readString(files.index())).contains("href=\"gate.html\"").contains("FAIL: 2 of 7 checks failed");
        assertThat(Files.readString(dir.resolve("modelgate.css"))).contains(".banner-fail");
        assertThat(Files.readString(files.markdown())).startsWith("## Modelgate: FAIL");
        assertThat(Files.readString(files.html())).contains("<link rel=\"stylesheet\" href=\"modelgate.css\">");
    }

    @Test
    void noReportFileShowsAPasswordFromAUrlInItsValues(@TempDir Path tmp) throws Exception {
        // A password with '@', ':' and an escaped '@': the redactor must find where the user information ends.
        String url = "https://alice:Tr0ub4dor@H0rse9:B4ttery7%40x@registry.example.com/churn?token=S3cr3tT0ken";
        GateReport.write(Verdicts.hostileMetric(url), tmp);
        java.time.Instant at = java.time.Instant.parse("2026-03-01T12:00:00Z");
        CanaryReport.write(new io.modelgate.rollout.RolloutState(url, io.modelgate.rollout.RolloutState.Phase.ROLLED_BACK,
                0, at, 1, java.util.List.of(), "aborted: " + url, at, "", "", java.time.Duration.ZERO, 0, java.util.List.of()), "Canary rollout of " + url, tmp);
        try (var files = Files.list(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                for (String piece : java.util.List.of("Tr0ub4dor", "H0rse9", "B4ttery7", "S3cr3tT0ken")) {
                    assertThat(text).as(f.getFileName() + " holds " + piece).doesNotContain(piece);
                }
            }
        }
        assertThat(Files.readString(tmp.resolve("verdict.json"))).contains("https://***@registry.example.com/churn?token=***");
        assertThat(Files.readString(tmp.resolve("gate.html"))).contains("registry.example.com");
        assertThat(Files.readString(tmp.resolve("verdict.md"))).contains("registry.example.com");
        assertThat(Files.readString(tmp.resolve("canary.json"))).contains("registry.example.com");
    }

    @Test
    void jsonFileHoldsExactlyTheJsonText(@TempDir Path tmp) throws Exception {
        ReportFiles files = GateReport.write(Verdicts.mixed(), tmp);

        assertThat(Files.readString(files.json(), StandardCharsets.UTF_8)).isEqualTo(GateReport.json(Verdicts.mixed()));
    }

    @Test
    void overwritesAnEarlierReport(@TempDir Path tmp) throws Exception {
        GateReport.write(Verdicts.mixed(), tmp);

        ReportFiles files = GateReport.write(Verdicts.empty(), tmp);

        assertThat(Files.readString(files.json())).contains("\"status\": \"PASS\"");
        assertThat(Files.readString(files.junit())).contains("tests=\"0\"");
        try (var listing = Files.list(tmp)) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void namesThePathWhenTheDirectoryCannotBeCreated(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "x");

        assertThatThrownBy(() -> GateReport.write(Verdicts.mixed(), file.resolve("reports")))
                .isInstanceOf(ReportException.class)
                .hasMessageStartingWith("cannot write report to " + file.resolve("reports"))
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> GateReport.write(Verdicts.mixed(), file))
                .isInstanceOf(ReportException.class)
                .hasMessageStartingWith("cannot write report to " + file + ": ");
    }

    @Test
    void namesTheFileThatCannotBeReplaced(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("gate.html/inside"));

        assertThatThrownBy(() -> GateReport.write(Verdicts.mixed(), tmp))
                .isInstanceOf(ReportException.class)
                .hasMessageStartingWith("cannot write report to " + tmp.resolve("gate.html") + ": ");
    }
}
