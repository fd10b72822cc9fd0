package io.modelgate.registry;

import io.modelgate.common.Sanitizer;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Who makes a change, from which build, and when: the audit fields of every event. The name is
 * checked here, where every actor is made, so that no face can record a change by a name with a
 * line break in it (it is written into the commit's author and message).
 */
public record Actor(String name, BuildInfo build, Instant at) {
    public Actor {
        Sanitizer.identifier("actor", name);
        if (build == null) {
            build = BuildInfo.NONE;
        }
        if (at == null) {
            throw new RegistryException("actor " + name + " has no time");
        }
    }

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
