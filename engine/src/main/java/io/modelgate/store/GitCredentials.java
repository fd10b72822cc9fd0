package io.modelgate.store;

import java.util.Map;
import java.util.Optional;

/**
 * A user name and password or token for a registry reached over HTTPS. In Jenkins, bind them with
 * {@code withCredentials([usernamePassword(credentialsId: ..., usernameVariable: 'MODELGATE_GIT_USERNAME',
 * passwordVariable: 'MODELGATE_GIT_PASSWORD')])}. SSH remotes use the agent's keys instead.
 */
public record GitCredentials(String username, String password) {
    @Override
    public String toString() {
        return "GitCredentials[" + username + ", password hidden]";
    }

    public static Optional<GitCredentials> fromEnvironment(Map<String, String> env) {
        String user = env.getOrDefault("MODELGATE_GIT_USERNAME", "");
        String password = env.getOrDefault("MODELGATE_GIT_PASSWORD", "");
        return password.isEmpty() ? Optional.empty()
                : Optional.of(new GitCredentials(user.isEmpty() ? "git" : user, password));
    }
}
