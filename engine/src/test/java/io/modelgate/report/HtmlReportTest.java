package io.modelgate.report;

import io.modelgate.gate.Verdict;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlReportTest {
    /** An event-handler attribute inside a tag: escaped user text cannot contain a tag, so this is exact. */
    private static final Pattern EVENT_ATTRIBUTE = Pattern.compile("<[^>]*\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);

    private static void assertCspSafe(String html) {
        assertThat(html).doesNotContainIgnoringCase("<script")
                .doesNotContainIgnoringCase("<style")
                .doesNotContainIgnoringCase("style=")
                .doesNotContainIgnoringCase("javascript:")
                .doesNotContain("http://")
                .doesNotContain("https://")
                .doesNotContain("url(");
        assertThat(EVENT_ATTRIBUTE.matcher(html).find()).as("event handler attribute").isFalse();

        Document doc = Jsoup.parse(html);
        assertThat(doc.select("script, style, iframe, object, embed, img, link[rel=preload]")).isEmpty();
        for (Element e : doc.getAllElements()) {
            for (Attribute a : e.attributes()) {
                assertThat(a.getKey()).as("attribute of <%s>", e.tagName()).doesNotStartWithIgnoringCase("on")
                        .isNotEqualToIgnoringCase("style");
            }
        }
        assertThat(doc.select("link")).hasSize(1);
        assertThat(doc.selectFirst("link").attr("href")).isEqualTo("modelgate.css");
    }

    @Test
    void hasNoInlineStyleScriptOrEventHandler() {
        assertCspSafe(HtmlReport.render(Verdicts.mixed()));
        assertCspSafe(HtmlReport.render(Verdicts.empty()));
        assertCspSafe(HtmlReport.render(Verdicts.manySlices(40)));
    }

    @Test
    void showsHostileNamesAsText() {
        String html = HtmlReport.render(Verdicts.mixed());
        Document doc = Jsoup.parse(html);

        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
        assertThat(doc.select("td.slice").eachText()).contains(Verdicts.SCRIPT_SLICE, Verdicts.IMG_SLICE);
        assertThat(doc.select("svg title").eachText()).anySatisfy(t -> assertThat(t).contains(Verdicts.IMG_SLICE));
        assertThat(doc.select(".inputs code").eachText()).contains("policies/<gate>.yaml", "out/baseline & co.json");
    }

    @Test
    void showsStatusBannerAndCounts() {
        Document doc = Jsoup.parse(HtmlReport.render(Verdicts.mixed()));

        assertThat(doc.title()).isEqualTo("Modelgate: FAIL");
        assertThat(doc.selectFirst("header.banner").classNames()).contains("banner-fail");
        assertThat(doc.selectFirst(".banner-status").text()).isEqualTo("FAIL");
        assertThat(doc.selectFirst(".summary").text()).startsWith("FAIL: 2 of 7");
        assertThat(doc.select(".count").eachText())
                .containsExactly("2 failed", "1 warned", "3 passed", "1 skipped");
    }

    @Test
    void listsResultsFailedFirst() {
        Document doc = Jsoup.parse(HtmlReport.render(Verdicts.mixed()));

        assertThat(doc.select("table.results-table tbody tr .outcome").eachText())
                .containsExactly("FAIL", "FAIL", "WARN", "SKIPPED", "PASS", "PASS", "PASS");
        Element missing = doc.select("table.results-table tbody tr").get(1);
        assertThat(missing.select("td.num").eachText()).containsExactly("\u2013", "NaN", "\u2013", "\u2013");
        assertThat(missing.select("td.num").first().hasClass("missing")).isTrue();
    }

    @Test
    void drawsOneChartPerMetric() {
        Document doc = Jsoup.parse(HtmlReport.render(Verdicts.mixed()));

        assertThat(doc.select("figure.chart figcaption").eachText()).containsExactly("roc_auc", "log_loss");
        Element auc = doc.selectFirst("figure.chart svg");
        // 5 slices; overall carries two thresholds (value and change), so 6 threshold marks
        assertThat(auc.select("g.row")).hasSize(5);
        assertThat(auc.select("g.row circle")).hasSize(4);
        assertThat(auc.select("g.row").get(2).text()).contains("no value: NaN");
        assertThat(auc.select("g.row line[stroke-dasharray]")).hasSize(6);
        assertThat(auc.select("g.row polygon")).hasSize(2);
        assertThat(auc.text()).contains("roc_auc (higher is better)");
        assertThat(doc.select("figure.chart").get(1).selectFirst("svg").text()).contains("(lower is better)");
    }

    @Test
    void growsChartWithSlicesAndScalesFromData() {
        Document doc = Jsoup.parse(HtmlReport.render(Verdicts.manySlices(60)));

        Element svg = doc.selectFirst("figure.chart svg");
        assertThat(svg.select("g.row")).hasSize(60);
        assertThat(Integer.parseInt(svg.attr("height"))).isGreaterThan(60 * 20);
        // values run from 3 to 44.3: the axis ticks leave [0, 1]
        assertThat(svg.select("text[text-anchor=middle]").eachText()).contains("10", "20", "40");
    }

    @Test
    void handlesEmptyVerdict() {
        Verdict v = Verdicts.empty();
        Document doc = Jsoup.parse(HtmlReport.render(v));

        assertThat(doc.selectFirst("header.banner").classNames()).contains("banner-pass");
        assertThat(doc.select(".results .empty").text()).contains("No checks were run");
        assertThat(doc.select("svg")).isEmpty();
        assertThat(doc.select(".inputs dd").eachText()).contains("none");
    }
}
