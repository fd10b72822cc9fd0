package io.modelgate.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Who makes a change, from which build, and when: the audit fields of every event.
 */
public record Actor(String name, BuildInfo build, Instant at) {
    /**
     * The actor of a command run in Jenkins or a shell: {@code MODELGATE_ACTOR}, else the Jenkins
     * user who started the build ({@code BUILD_USER_ID}), else the OS user.
     */
    public static Actor fromEnvironment(Map<String, String> env, String override, String osUser, Instant now) {
        String name = !override.isBlank() ? override
                : firstSet(env, "MODELGATE_ACTOR", "BUILD_USER_ID", "USER", "USERNAME")
                .orElse(osUser.isBlank() ? "unknown" : osUser);
        return new Actor(name, BuildInfo.fromEnvironment(env), now);
    }

    private static Optional<String> firstSet(Map<String, String> env, String... keys) {
        for (String k : keys) {
            String v = env.get(k);
            if (v != null && !v.isBlank()) {
                return Optional.of(v.trim());
            }
        }
        return Optional.empty();
    }
}
