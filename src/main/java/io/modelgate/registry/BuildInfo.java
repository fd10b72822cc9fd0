package io.modelgate.registry;

import java.util.Map;

/**
 * The Jenkins build that did something, from its environment; empty strings outside Jenkins.
 */
public record BuildInfo(String buildUrl, String jobName, String buildNumber, String gitCommit) {
    public static final BuildInfo NONE = new BuildInfo("", "", "", "");

    public static BuildInfo fromEnvironment(Map<String, String> env) {
        return new BuildInfo(env.getOrDefault("BUILD_URL", ""), env.getOrDefault("JOB_NAME", ""),
                env.getOrDefault("BUILD_NUMBER", ""), env.getOrDefault("GIT_COMMIT", ""));
    }

    public boolean isEmpty() {
        return buildUrl.isEmpty() && jobName.isEmpty() && buildNumber.isEmpty() && gitCommit.isEmpty();
    }
}
