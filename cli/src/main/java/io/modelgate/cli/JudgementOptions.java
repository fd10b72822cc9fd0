package io.modelgate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a judging command ({@code validate}, {@code drift}) writes its reports, and which status fails the build. */
final class JudgementOptions {
    enum FailOn { fail, warn }

    @Option(names = "--report-dir", paramLabel = "DIR",
            description = "Where to write the reports (default: $MODELGATE_REPORT_DIR, else modelgate-reports).")
    Path reportDir;

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "fail",
            description = "Exit 1 on this status or worse: fail (default) or warn.")
    FailOn failOn;

    boolean failOnWarn() {
        return failOn == FailOn.warn;
    }
}
