package io.modelgate.common;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where work happens: the folder relative paths are read against and the environment variables the
 * work sees. From a terminal these are the process's own; a Jenkins build runs steps in its
 * workspace with its environment, inside a JVM (an agent) whose own directory and environment are
 * neither. The engine reads both only through here, never through {@code System.getenv()} or a bare
 * relative path.
 */
public final class Workspace {
    /** Where reports go when neither the caller nor {@code MODELGATE_REPORT_DIR} says. */
    public static final String DEFAULT_REPORT_DIR = "modelgate-reports";

    private final Path dir;
    /** In the process's own directory relative paths stay as typed, so that messages name them as the user did. */
    private final boolean asTyped;
    private final Map<String, String> env;

    private Workspace(Path dir, boolean asTyped, Map<String, String> env) {
        this.dir = dir.toAbsolutePath().normalize();
        this.asTyped = asTyped;
        this.env = Map.copyOf(env);
    }

    /** The process's own directory, with {@code env}: relative paths stay relative (as typed, in messages). */
    public static Workspace current(Map<String, String> env) {
        return new Workspace(Path.of(""), true, env);
    }

    /**
     * Work in {@code dir} with {@code env}: relative paths are resolved against {@code dir}, unless it is
     * the process's own directory, where they stay as typed (as {@link #current}).
     */
    public static Workspace of(Path dir, Map<String, String> env) {
        Path d = dir.toAbsolutePath().normalize();
        return new Workspace(d, d.equals(Path.of("").toAbsolutePath().normalize()), env);
    }

    /** Work in {@code dir} with {@code env}, relative paths always resolved against {@code dir}. */
    public static Workspace at(Path dir, Map<String, String> env) {
        return new Workspace(dir, false, env);
    }

    public Map<String, String> env() {
        return env;
    }

    /** A variable that is set and not blank. */
    public Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).filter(s -> !s.isBlank());
    }

    /** The folder relative paths are read against, absolute. */
    public Path dir() {
        return dir;
    }

    /** Whether relative paths are left as typed (the process's own directory) rather than made absolute. */
    public boolean keepsRelativePaths() {
        return asTyped;
    }

    /** A path as the work should open it: a relative one against the folder. */
    public Path resolve(Path p) {
        return asTyped || p.isAbsolute() ? p : dir.resolve(p);
    }

    public Path path(String first, String... more) {
        return resolve(Path.of(first, more));
    }

    /** The report folder to use when none is given: {@code $MODELGATE_REPORT_DIR}, else {@value #DEFAULT_REPORT_DIR}. */
    public Path reportDir() {
        return path(defaultReportDir());
    }

    /** As {@link #reportDir()}, as it is named before it is resolved (a step's outcome names it so). */
    public String defaultReportDir() {
        return env("MODELGATE_REPORT_DIR").orElse(DEFAULT_REPORT_DIR);
    }

    /** The user's name on this machine, the last fallback for who acts. */
    public static String osUser() {
        return System.getProperty("user.name", "");
    }
}
