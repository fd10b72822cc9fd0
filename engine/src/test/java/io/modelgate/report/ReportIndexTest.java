package io.modelgate.report;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class ReportIndexTest {
    @TempDir
    Path dir;

    @Test
    void linksEveryPageInBuildOrderWithItsStatusAndSummary() throws Exception {
        CanaryReport.write(CanaryReportTest.rolledBack(), "Canary of churn", dir);
        RegistryReport.write(RegistryReportTest.hostileHistory(), dir);
        LineageReport.write(LineageReportTest.hostileGraph(), "Lineage of churn@v0.0.1", dir);
        GateReport.write(Verdicts.mixed(), dir);

        ReportIndex.Index index = ReportIndex.refresh(dir);

        assertThat(index.entries()).extracting(ReportIndex.Entry::page)
                .containsExactly("gate.html", "lineage.html", "registry.html", "canary.html");
        assertThat(index.entries()).extracting(ReportIndex.Entry::status).containsExactly("FAIL", "", "", "ROLLED_BACK");
        assertThat(index.entries().get(0).summary()).startsWith("FAIL: 2 of 7 checks failed");
        // runs nearest the model first: the one that produced it leads
        assertThat(index.entries().get(1).summary()).isEqualTo("Lineage of churn@v0.0.1: 2 runs (train, prepare \"><img "
                + "src=x onerror=alert(1)>), 2 data sets, 1 model version");
        assertThat(index.entries().get(2).summary()).startsWith("churn: latest v0.0.2");
        assertThat(index.entries().get(3).summary()).startsWith("Canary of churn rolled back after 8 analyses at 50% canary");

        Document doc = Jsoup.parse(Files.readString(dir.resolve("index.html")));
        assertThat(doc.select("script, style, img")).isEmpty();
        assertThat(doc.select("a[href=gate.html]").text()).isEqualTo("Model gate");
        assertThat(doc.select("a[href=verdict.json]")).hasSize(1);
        assertThat(doc.select(".outcome-fail")).hasSize(2);
        assertThat(doc.text()).contains("onerror=alert(1)>");
    }

    @Test
    void aPageWithoutReadableDataIsLinkedWithoutSummary() throws Exception {
        Files.writeString(dir.resolve("drift.html"), "<!DOCTYPE html><title>drift</title>");
        Files.writeString(dir.resolve("drift.json"), "{not json");
        Files.writeString(dir.resolve("extra-page.html"), "<!DOCTYPE html><title>x</title>");
        Files.writeString(dir.resolve("we\"ird<name>.html"), "x");

        ReportIndex.Index index = ReportIndex.refresh(dir);

        assertThat(index.entries()).extracting(ReportIndex.Entry::page).containsExactly("drift.html", "extra-page.html");
        assertThat(index.entries().get(0).summary()).isEmpty();
        assertThat(Files.readString(dir.resolve("index.html"))).contains("no summary").doesNotContain("weird");
    }

    @Test
    void driftIsSummarisedWhenItsJsonHasAStatusAndSummary() throws Exception {
        Files.writeString(dir.resolve("drift.html"), "<!DOCTYPE html><title>drift</title>");
        Files.writeString(dir.resolve("drift.json"), "{\"status\": \"DRIFT\", \"summary\": \"3 of 12 features drifted\","
                + " \"features\": [1, 2]}");

        ReportIndex.Entry drift = ReportIndex.refresh(dir).entries().get(0);

        assertThat(drift.kind()).isEqualTo("drift");
        assertThat(drift.status()).isEqualTo("DRIFT");
        assertThat(drift.summary()).isEqualTo("3 of 12 features drifted");
        assertThat(ReportIndex.statusClass(drift.status())).isEqualTo("fail");
    }

    @Test
    void anEmptyDirectoryGetsAnIndexSayingSo() throws Exception {
        ReportIndex.Index index = ReportIndex.refresh(dir.resolve("new"));

        assertThat(index.entries()).isEmpty();
        assertThat(Files.readString(index.page())).contains("No Modelgate page has been written here yet");
        assertThat(dir.resolve("new/modelgate.css")).exists();
    }

    @Test
    void writersInParallelAllEndUpInTheIndex() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Path>> writers = List.of(
                    () -> GateReport.write(Verdicts.mixed(), dir).html(),
                    () -> LineageReport.write(LineageReportTest.hostileGraph(), "Lineage", dir),
                    () -> RegistryReport.write(RegistryReportTest.hostileHistory(), dir),
                    () -> CanaryReport.write(CanaryReportTest.rolledBack(), "Canary", dir));
            List<Future<Path>> done = new ArrayList<>(pool.invokeAll(writers));
            for (Future<Path> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(Files.readString(dir.resolve("index.html"))).contains("href=\"gate.html\"")
                .contains("href=\"lineage.html\"").contains("href=\"registry.html\"").contains("href=\"canary.html\"");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
