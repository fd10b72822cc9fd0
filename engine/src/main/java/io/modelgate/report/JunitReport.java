package io.modelgate.report;

import io.modelgate.gate.Evidence;
import io.modelgate.gate.Outcome;
import io.modelgate.gate.RuleResult;
import io.modelgate.gate.Verdict;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The verdict as JUnit XML for Jenkins' {@code junit} step: one test suite {@value #SUITE}, one test
 * case per rule result.
 *
 * <p>PASS is a passed test; FAIL a {@code <failure>}; SKIPPED a {@code <skipped>}; WARN a
 * <em>passed</em> test whose {@code <system-out>} starts with {@code WARN:}, because Jenkins marks a
 * build UNSTABLE on any failed test and a warning must not do that on its own (the shared library
 * decides what a WARN verdict does to the build).
 */
final class JunitReport {
    static final String SUITE = "modelgate.gate";

    private JunitReport() {
    }

    static String render(Verdict verdict) {
        return document("verdict", xml -> {
            startSuite(xml, SUITE, verdict.results().size(), verdict.count(Outcome.FAIL), verdict.count(Outcome.SKIPPED));
            if (verdict.evaluatedAt() != null) {
                xml.writeAttribute("timestamp", DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        verdict.evaluatedAt().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)));
            }
            xml.writeCharacters("\n  ");
            xml.writeStartElement("properties");
            property(xml, "modelgate.status", verdict.status().name());
            property(xml, "modelgate.summary", Text.orEmpty(verdict.summary()));
            if (verdict.inputs() != null) {
                property(xml, "modelgate.policy", Text.optional(verdict.inputs().policy()));
                property(xml, "modelgate.candidate", Text.optional(verdict.inputs().candidate()));
                property(xml, "modelgate.baseline", Text.optional(verdict.inputs().baseline()));
            }
            xml.writeCharacters("\n  ");
            xml.writeEndElement();

            for (RuleResult r : verdict.results()) {
                testcase(xml, r);
            }
        });
    }

    /** What goes inside a JUnit document: a started test suite and its content, left open. */
    interface Suite {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }

    /** A JUnit XML document: {@code suite} starts the test suite and writes it; this closes it. */
    static String document(String what, Suite suite) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            suite.write(xml);
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot render " + what + " as JUnit XML", e);
        }
        return out.toString();
    }

    /** The class name of a result's test case: {@code modelgate.gate.<metric>}, dots in the metric as {@code _}. */
    static String className(RuleResult r) {
        // Jenkins splits class names at dots into packages; a metric such as "precision@0.5" must stay one class.
        return SUITE + "." + Text.oneLine(r.metric()).replace('.', '_');
    }

    private static void testcase(XMLStreamWriter xml, RuleResult r) throws XMLStreamException {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testcase");
        attribute(xml, "classname", className(r));
        attribute(xml, "name", Text.oneLine(r.name()));
        xml.writeAttribute("time", "0");
        caseProperties(xml, r);
        String message = Text.orEmpty(r.message());
        switch (r.outcome()) {
            case FAIL -> {
                xml.writeCharacters("\n    ");
                xml.writeStartElement("failure");
                attribute(xml, "message", Text.oneLine(message));
                xml.writeAttribute("type", "modelgate.threshold");
                text(xml, details(r));
                xml.writeEndElement();
            }
            case SKIPPED -> {
                xml.writeCharacters("\n    ");
                xml.writeEmptyElement("skipped");
                attribute(xml, "message", Text.oneLine(message));
            }
            case WARN, PASS -> {
            }
        }
        xml.writeCharacters("\n    ");
        xml.writeStartElement("system-out");
        text(xml, r.outcome().name() + ": " + message);
        xml.writeEndElement();
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    /**
     * The check's figures as properties of its test case (Jenkins' JUnit plugin shows them; a
     * dashboard can chart them): n, the value and its interval, the change's interval, the test.
     */
    private static void caseProperties(XMLStreamWriter xml, RuleResult r) throws XMLStreamException {
        Evidence e = r.evidence();
        xml.writeCharacters("\n    ");
        xml.writeStartElement("properties");
        property(xml, "n", Text.rows(e.n()), 6);
        property(xml, "value", Text.value(r.value()), 6);
        if (!Text.interval(e).isEmpty()) {
            property(xml, "ci_low", Text.value(e.ciLow()), 6);
            property(xml, "ci_high", Text.value(e.ciHigh()), 6);
            property(xml, "method", e.method(), 6);
        }
        if (!Double.isNaN(r.baseline())) {
            property(xml, "baseline", Text.value(r.baseline()), 6);
        }
        if (!Text.changeInterval(e).isEmpty()) {
            property(xml, "change_ci_low", Text.value(e.changeLow()), 6);
            property(xml, "change_ci_high", Text.value(e.changeHigh()), 6);
            property(xml, "change_method", e.changeMethod(), 6);
        }
        if (e.tested()) {
            property(xml, "p_value", Double.toString(e.pValue()), 6);
            property(xml, "level", Double.toString(e.level()), 6);
        }
        property(xml, "threshold", r.threshold().describe(), 6);
        xml.writeCharacters("\n    ");
        xml.writeEndElement();
    }

    private static String details(RuleResult r) {
        return Text.orEmpty(r.message()) + "\n"
                + "metric: " + r.metric() + "\n"
                + "slice: " + r.slice() + "\n"
                + "n: " + Text.rows(r.evidence().n()) + "\n"
                + "value: " + Text.value(r.value()) + (Text.interval(r.evidence()).isEmpty() ? ""
                : " " + Text.interval(r.evidence()) + " " + r.evidence().method()) + "\n"
                + "baseline: " + (Double.isNaN(r.baseline()) ? "none" : Text.value(r.baseline())) + "\n"
                + (Double.isNaN(r.change()) ? "" : "change: " + Text.change(r.change())
                + (Text.changeInterval(r.evidence()).isEmpty() ? "" : " " + Text.changeInterval(r.evidence())
                + " " + r.evidence().changeMethod()) + "\n")
                + "threshold: " + r.threshold().describe() + " (severity "
                + r.threshold().severity().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    /** The document and an open {@code <testsuite>} with its counts; shared by the gate's and the drift check's files. */
    static void startSuite(XMLStreamWriter xml, String name, int tests, long failures, long skipped) throws XMLStreamException {
        xml.writeStartDocument("UTF-8", "1.0");
        xml.writeCharacters("\n");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", name);
        xml.writeAttribute("tests", Integer.toString(tests));
        xml.writeAttribute("failures", Long.toString(failures));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", Long.toString(skipped));
        xml.writeAttribute("time", "0");
    }

    static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        property(xml, name, value, 4);
    }

    private static void property(XMLStreamWriter xml, String name, String value, int indent) throws XMLStreamException {
        xml.writeCharacters("\n" + " ".repeat(indent));
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        attribute(xml, "value", Text.oneLine(value));
    }

    private static void attribute(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeAttribute(name, Text.clean(value));
    }

    private static void text(XMLStreamWriter xml, String value) throws XMLStreamException {
        xml.writeCharacters(Text.clean(value));
    }
}
