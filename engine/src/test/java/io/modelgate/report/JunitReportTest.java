package io.modelgate.report;

import io.modelgate.gate.GateInputs;
import io.modelgate.gate.Outcome;
import io.modelgate.gate.RuleResult;
import io.modelgate.gate.Severity;
import io.modelgate.gate.Status;
import io.modelgate.gate.Verdict;
import io.modelgate.metrics.MetricSet;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JunitReportTest {

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element testcase(Document doc, int i) {
        return (Element) doc.getElementsByTagName("testcase").item(i);
    }

    @Test
    void writesOneSuiteWithCorrectCounts() throws Exception {
        Document doc = parse(JunitReport.render(Verdicts.mixed()));

        Element suite = doc.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("modelgate.gate");
        assertThat(suite.getAttribute("tests")).isEqualTo("7");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        assertThat(suite.getAttribute("timestamp")).isEqualTo("2026-03-01T12:34:56");
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(7);
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(2);
        assertThat(doc.getElementsByTagName("skipped").getLength()).isEqualTo(1);
    }

    @Test
    void namesTestCasesByMetricAndRule() throws Exception {
        Document doc = parse(JunitReport.render(Verdicts.mixed()));

        Element eu = testcase(doc, 1);
        assertThat(eu.getAttribute("classname")).isEqualTo("modelgate.gate.roc_auc");
        assertThat(eu.getAttribute("name")).isEqualTo("roc_auc[region=eu] threshold");
        Element failure = (Element) eu.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("roc_auc in region=eu is 0.78, below 0.8");
        assertThat(failure.getTextContent()).contains("value: 0.78", "baseline: 0.81", "threshold: >= 0.8");
    }

    @Test
    void writesWarningAsPassedTestWithOutput() throws Exception {
        Document doc = parse(JunitReport.render(Verdicts.mixed()));

        Element warn = testcase(doc, 5);
        assertThat(warn.getAttribute("classname")).isEqualTo("modelgate.gate.log_loss");
        assertThat(warn.getElementsByTagName("failure").getLength()).isZero();
        assertThat(warn.getElementsByTagName("error").getLength()).isZero();
        assertThat(warn.getElementsByTagName("skipped").getLength()).isZero();
        assertThat(warn.getElementsByTagName("system-out").item(0).getTextContent())
                .isEqualTo("WARN: log_loss in overall is 0.52, above 0.45");
    }

    @Test
    void writesSkippedWithReason() throws Exception {
        Document doc = parse(JunitReport.render(Verdicts.mixed()));

        Element skipped = (Element) doc.getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).isEqualTo("slice a|b`c` d has 12 examples, fewer than 100");
    }

    @Test
    void keepsHostileNamesAsText() throws Exception {
        Document doc = parse(JunitReport.render(Verdicts.mixed()));

        assertThat(testcase(doc, 2).getAttribute("name")).isEqualTo("roc_auc[" + Verdicts.SCRIPT_SLICE + "] threshold");
        assertThat(testcase(doc, 3).getAttribute("name")).isEqualTo("roc_auc[" + Verdicts.IMG_SLICE + "] threshold");
        assertThat(testcase(doc, 3).getElementsByTagName("system-out").item(0).getTextContent())
                .isEqualTo("PASS: roc_auc in " + Verdicts.IMG_SLICE + " is 0.9 & fine");
        assertThat(doc.getElementsByTagName("script").getLength()).isZero();
        assertThat(doc.getElementsByTagName("img").getLength()).isZero();
    }

    @Test
    void stripsCharactersIllegalInXml() throws Exception {
        String bad = "ctl\u0000\u0001\u001b[31m\ud800x\uffff";
        var t = Verdicts.value("m.x" + bad, 1, true, Severity.FAIL);
        Verdict v = new Verdict(Status.FAIL, "bad \u0007 summary", List.of(
                new RuleResult(t, "s=" + bad, 0, Double.NaN, Double.NaN, Outcome.FAIL, "why " + bad)),
                MetricSet.empty(), MetricSet.empty(), new GateInputs("p\u0000", "c", ""), Verdicts.AT);

        Document doc = parse(JunitReport.render(v));

        Element tc = testcase(doc, 0);
        assertThat(tc.getAttribute("classname")).isEqualTo("modelgate.gate.m_xctl[31mx");
        assertThat(tc.getAttribute("name")).isEqualTo("m.xctl[31mx[s=ctl[31mx] threshold");
        assertThat(((Element) tc.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .isEqualTo("why ctl[31mx");
    }

    @Test
    void writesEmptySuiteForNoResults() throws Exception {
        Document doc = parse(JunitReport.render(Verdicts.empty()));

        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("0");
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("0");
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isZero();
    }
}
