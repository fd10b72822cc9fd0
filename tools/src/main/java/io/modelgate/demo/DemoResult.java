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
 * @param model   the demo model's state in the registry afterwards
 * @param history the demo model's audit trail, newest first
 * @param trace   the registered version's lineage, one line per connection
 * @param lineagePage the lineage page with its graph
 * @param canary  how the canary rollout ended
 */
public record DemoResult(Path workdir, List<StageRun> stages, Verdict verdict, ReportFiles reports,
                         io.modelgate.registry.ModelState model, List<io.modelgate.registry.AuditEntry> history,
                         List<String> trace, Path lineagePage, io.modelgate.rollout.RolloutState canary,
                         io.modelgate.drift.DriftVerdict drift, Path driftPage) {
    public DemoResult {
        stages = List.copyOf(stages);
        history = List.copyOf(history);
        trace = List.copyOf(trace);
    }

    /** One stage that ran and how long it took. */
    public record StageRun(String name, long millis) {
    }
}
