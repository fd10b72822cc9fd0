package io.modelgate.registry;

import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;

import java.util.Map;

/**
 * The Jenkins build that did something, from its environment; empty strings outside Jenkins.
 *
 * <p>These come from environment variables, not from a person typing, and are stored with every
 * change: the build URL loses any user name and password ({@code https://alice:pw@ci/job/x/1/}
 * becomes {@code https://***@ci/job/x/1/}) and every control character is written as an escape,
 * so no value can add a line to a commit message or reveal a credential. Both are done again,
 * harmlessly, when a stored value is read back.
 */
public record BuildInfo(String buildUrl, String jobName, String buildNumber, String gitCommit) {
    public static final BuildInfo NONE = new BuildInfo("", "", "", "");

    public BuildInfo {
        buildUrl = clean(Redactor.redactUrls(buildUrl));
        jobName = clean(jobName);
        buildNumber = clean(buildNumber);
        gitCommit = clean(gitCommit);
    }

    private static String clean(String s) {
        return s == null ? "" : Sanitizer.terminal(s);
    }

    public static BuildInfo fromEnvironment(Map<String, String> env) {
        return new BuildInfo(env.getOrDefault("BUILD_URL", ""), env.getOrDefault("JOB_NAME", ""),
                env.getOrDefault("BUILD_NUMBER", ""), env.getOrDefault("GIT_COMMIT", ""));
    }

    public boolean isEmpty() {
        return buildUrl.isEmpty() && jobName.isEmpty() && buildNumber.isEmpty() && gitCommit.isEmpty();
    }
}
