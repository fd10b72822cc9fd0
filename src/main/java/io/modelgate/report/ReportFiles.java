package io.modelgate.report;

import java.nio.file.Path;

/** The files one gate run wrote to its report directory. */
public record ReportFiles(Path json, Path junit, Path markdown, Path html) {
}
