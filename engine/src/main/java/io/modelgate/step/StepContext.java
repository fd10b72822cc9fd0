package io.modelgate.step;

import io.modelgate.common.Workspace;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a step runs: the workspace (its folder and the build's environment: {@code MODELGATE_*},
 * {@code BUILD_URL}, credentials) and the build log.
 */
public record StepContext(Workspace workspace, StepLog log) {
    /**
     * A step run in {@code workDir} with {@code env}: relative paths are read against {@code workDir}
     * (in the process's own directory they stay as typed, as messages name them so).
     */
    public static StepContext of(Path workDir, Map<String, String> env, StepLog log) {
        return new StepContext(Workspace.of(workDir, env), log);
    }

    public Map<String, String> env() {
        return workspace.env();
    }
}
