package io.modelgate.demo;

import io.modelgate.common.ModelgateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The main job on embedded defaults: make a data set, train a baseline and a candidate model,
 * and judge the candidate with the gate, as a Jenkins pipeline's stages would. Nothing to install
 * and no server to start.
 */
public final class Demo {
    private Demo() {
    }

    /** The stages' short names, in order, for {@code modelgate demo --stages}. */
    public static final List<String> STAGE_IDS = List.of("data", "train", "validate", "registry", "lineage", "canary",
            "window", "drift");

    static List<DemoStage> stages(boolean badCanary) {
        return List.of(new DataStage(), new TrainStage(), new ValidateStage(), new RegistryStage(), new LineageStage(),
                new CanaryStage(badCanary), new WindowStage(), new DriftStage());
    }

    /**
     * Runs every stage in {@code workdir} (created if needed), reporting each stage's start through
     * {@code progress}.
     */
    public static DemoResult run(Path workdir, long seed, Consumer<String> progress) {
        return run(workdir, seed, false, progress);
    }

    /** As {@link #run(Path, long, Consumer)}; with {@code badCanary} the canary errs five times as often and is rolled back. */
    public static DemoResult run(Path workdir, long seed, boolean badCanary, Consumer<String> progress) {
        try {
            Files.createDirectories(workdir);
        } catch (IOException e) {
            throw new DemoException(workdir + ": cannot create the demo workspace: " + e.getMessage());
        }
        DemoContext context = new DemoContext(workdir, seed, progress);
        List<DemoResult.StageRun> runs = new ArrayList<>();
        List<DemoStage> stages = stages(badCanary);
        for (int i = 0; i < stages.size(); i++) {
            DemoStage stage = stages.get(i);
            progress.accept("[" + (i + 1) + "/" + stages.size() + "] " + stage.name());
            long start = System.nanoTime();
            try {
                stage.run(context);
            } catch (IOException e) {
                throw new DemoException("stage '" + stage.name() + "' failed in " + workdir + ": " + e);
            }
            runs.add(new DemoResult.StageRun(stage.name(), (System.nanoTime() - start) / 1_000_000));
        }
        return new DemoResult(workdir, runs, context.verdict, context.reports, context.registryState,
                context.registryHistory, LineageStage.describe(context.lineage), context.lineagePage, context.canary,
                context.drift, context.driftPage);
    }

    /**
     * Runs only the named stages (see {@link #STAGE_IDS}) in {@code workdir}, in the demo's order: the
     * example Jenkinsfile trains with {@code data,train}. A stage that needs an earlier one's output
     * reads it from the workspace.
     */
    public static void runStages(Path workdir, long seed, List<String> ids, Consumer<String> progress) {
        for (String id : ids) {
            if (!STAGE_IDS.contains(id)) {
                throw new DemoException("unknown demo stage '" + id + "'; the stages are " + String.join(", ", STAGE_IDS));
            }
        }
        try {
            Files.createDirectories(workdir);
        } catch (IOException e) {
            throw new DemoException(workdir + ": cannot create the demo workspace: " + e.getMessage());
        }
        DemoContext context = new DemoContext(workdir, seed, progress);
        List<DemoStage> stages = stages(false);
        for (int i = 0; i < stages.size(); i++) {
            if (ids.contains(STAGE_IDS.get(i))) {
                progress.accept("[" + STAGE_IDS.get(i) + "] " + stages.get(i).name());
                try {
                    stages.get(i).run(context);
                } catch (IOException e) {
                    throw new DemoException("stage '" + stages.get(i).name() + "' failed in " + workdir + ": " + e);
                }
            }
        }
    }

    /** The demo could not set up its workspace. */
    public static final class DemoException extends ModelgateException {
        private static final long serialVersionUID = 1L;

        DemoException(String message) {
            super(Kind.BAD_INPUT, message);
        }
    }
}
