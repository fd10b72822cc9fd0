package io.modelgate.report;

import io.modelgate.lineage.LineageGraph;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LineageReportTest {
    static LineageGraph hostileGraph() {
        var raw = new LineageGraph.Node("dataset:aa", LineageGraph.Kind.DATASET, "<script>alert(1)</script>.csv",
                Map.of("sha256", "aa11", "rows", "20000"));
        var prep = new LineageGraph.Node("run:r1", LineageGraph.Kind.RUN, "prepare \"><img src=x onerror=alert(1)>",
                Map.of("record", "r1abcdef"));
        var clean = new LineageGraph.Node("dataset:bb", LineageGraph.Kind.DATASET, "clean.csv", Map.of("sha256", "bb22"));
        var train = new LineageGraph.Node("run:r2", LineageGraph.Kind.RUN, "train", Map.of("record", "r2abcdef"));
        var model = new LineageGraph.Node("model:churn@v0.0.1", LineageGraph.Kind.MODEL, "churn@v0.0.1", Map.of());
        return new LineageGraph("model:churn@v0.0.1", List.of(model, train, clean, prep, raw), List.of(
                new LineageGraph.Edge("dataset:aa", "run:r1", "input"),
                new LineageGraph.Edge("run:r1", "dataset:bb", "output"),
                new LineageGraph.Edge("dataset:bb", "run:r2", "input"),
                new LineageGraph.Edge("run:r2", "model:churn@v0.0.1", "produced")));
    }

    @Test
    void columnsFollowTheDataFromLeftToRight() {
        var at = LineageReport.layout(hostileGraph());
        assertThat(at.get("dataset:aa")[0]).isLessThan(at.get("run:r1")[0]);
        assertThat(at.get("run:r1")[0]).isLessThan(at.get("dataset:bb")[0]);
        assertThat(at.get("run:r2")[0]).isLessThan(at.get("model:churn@v0.0.1")[0]);
    }

    @Test
    void everyLabelIsEscapedAndThePageHasNoScriptOrInlineStyle() {
        String html = LineageReport.render(hostileGraph(), "Lineage <b>of</b> churn");
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("script, style, img")).isEmpty();
        assertThat(doc.getAllElements()).allSatisfy(e -> e.attributes().forEach(a ->
                assertThat(a.getKey()).doesNotStartWith("on").isNotEqualTo("style")));
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;.csv").contains("Lineage &lt;b&gt;of&lt;/b&gt; churn");
        assertThat(doc.select("svg rect")).hasSize(5);
        assertThat(doc.select("svg path[marker-end]")).hasSize(4);
    }
}
