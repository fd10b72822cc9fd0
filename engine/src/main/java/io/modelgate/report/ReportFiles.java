package io.modelgate.report;

import java.nio.file.Path;

/**
 * The files one gate run wrote to its report directory.
 *
 * @param html  the gate's page, {@code gate.html}
 * @param index the build's index of every page in the directory, {@code index.html}
 */
public record ReportFiles(Path json, Path junit, Path markdown, Path html, Path index) {
}
