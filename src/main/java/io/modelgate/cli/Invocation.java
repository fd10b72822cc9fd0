package io.modelgate.cli;

import io.modelgate.store.GitRemote;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a command runs: its working directory and its environment. From a terminal these are the
 * process's own; {@link StepRunner} runs commands for a build in the build's workspace with the
 * build's environment, inside a JVM (a Jenkins agent) whose own directory and environment are
 * neither. Commands read both only through here, never through {@code System.getenv()} or a bare
 * relative path.
 */
final class Invocation {
    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();
    private static final Invocation PROCESS = new Invocation(null, null);

    /** Null: the process's own directory, and relative paths stay relative (as typed, in messages). */
    private final Path workDir;
    /** Null: the process's own environment. */
    private final Map<String, String> env;

    private Invocation(Path workDir, Map<String, String> env) {
        this.workDir = workDir == null ? null : workDir.toAbsolutePath().normalize();
        this.env = env == null ? null : Map.copyOf(env);
    }

    /** The invocation of the command running on this thread: the process's, unless a step runner set one. */
    static Invocation current() {
        Invocation i = CURRENT.get();
        return i != null ? i : PROCESS;
    }

    /** Runs {@code body} as an invocation in {@code workDir} with {@code env}, on this thread. */
    static <T> T in(Path workDir, Map<String, String> env, Supplier<T> body) {
        Invocation previous = CURRENT.get();
        CURRENT.set(new Invocation(workDir, env));
        try {
            return body.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
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
