package io.modelgate.cli;

import io.modelgate.store.GitRemote;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a command runs: its working directory and its environment. From a terminal these are the
 * process's own; tests run commands in a folder of their own with an environment of their own. Commands read both only through here, never through {@code System.getenv()} or a bare
 * relative path; {@link Main} holds the invocation, and every command reaches it through its spec.
 */
final class Invocation {
    /** The process's own directory and environment: a command typed in a terminal. */
    static final Invocation PROCESS = new Invocation(null, null);

    /** Null: the process's own directory, and relative paths stay relative (as typed, in messages). */
    private final Path workDir;
    /** Null: the process's own environment. */
    private final Map<String, String> env;

    private Invocation(Path workDir, Map<String, String> env) {
        this.workDir = workDir == null ? null : workDir.toAbsolutePath().normalize();
        this.env = env == null ? null : Map.copyOf(env);
    }

    /** A command run for a build: relative paths against {@code workDir} (null: as typed), variables from {@code env}. */
    static Invocation of(Path workDir, Map<String, String> env) {
        return new Invocation(workDir, env);
    }

    Map<String, String> env() {
        return env != null ? env : System.getenv();
    }

    /** A variable that is set and not blank. */
    Optional<String> env(String name) {
        return Optional.ofNullable(env().get(name)).filter(s -> !s.isBlank());
    }

    /** The folder relative paths are read against. */
    Path workDir() {
        return workDir != null ? workDir : Path.of("").toAbsolutePath();
    }

    /** The same place for the engine's use-cases: relative paths resolved, or kept as typed, as here. */
    io.modelgate.common.Workspace workspace() {
        return workDir == null ? io.modelgate.common.Workspace.current(env()) : io.modelgate.common.Workspace.at(workDir, env());
    }

    /** A path as the command should open it: relative ones against the working directory. */
    Path resolve(Path p) {
        return workDir == null || p.isAbsolute() ? p : workDir.resolve(p);
    }

    Path path(String first, String... more) {
        return resolve(Path.of(first, more));
    }

    /** A registry location: a Git URL as it is, a directory against the working directory. */
    String location(String location) {
        return workDir == null || GitRemote.isRemote(location) ? location : resolve(Path.of(location)).toString();
    }
}
