package io.modelgate.demo;

import io.modelgate.gate.Verdict;
import io.modelgate.report.ReportFiles;

import java.nio.file.Path;
import java.util.List;

/**
 * What a demo run produced.
 *
 * @param workdir the workspace it ran in
 * @param stages  the stages it ran, in order, with their wall time in milliseconds
 * @param verdict the gate's verdict on the candidate model
 * @param reports the gate's report files
 */
public record DemoResult(Path workdir, List<StageRun> stages, Verdict verdict, ReportFiles reports) {
    public DemoResult {
        stages = List.copyOf(stages);
    }

    /** One stage that ran and how long it took. */
    public record StageRun(String name, long millis) {
    }
}
