package io.modelgate.report;

import io.modelgate.gate.Verdict;

import java.nio.file.Path;

/** Writes a verdict as JSON, JUnit XML, Markdown and HTML (with its CSS) into a report directory. */
public final class GateReport {
    private GateReport() {
    }

    public static ReportFiles write(Verdict verdict, Path reportDir) {
        throw new UnsupportedOperationException("being written");
    }

    /** The verdict in the documented JSON shape, as written to {@code verdict.json} and printed by {@code --json}. */
    public static String json(Verdict verdict) {
        throw new UnsupportedOperationException("being written");
    }
}
