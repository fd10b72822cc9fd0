package io.modelgate.common;

/**
 * The exit codes of the command line, which a step's outcome carries too (docs/cli.md): the contract
 * the Jenkins steps rely on. Results that decide one (a verdict, a rollout's end) say which here, so
 * that both faces give the same.
 */
public final class ExitCodes {
    /** Passed (also with warnings, unless failing on warnings). */
    public static final int OK = 0;
    /** The gate, a check or a rollout failed, or the registry refused. */
    public static final int FAILED = 1;
    /** Bad input, usage or configuration. */
    public static final int BAD_INPUT = 2;
    /** An external system failed or could not be reached. */
    public static final int EXTERNAL = 3;
    /** A bug: please report it. */
    public static final int INTERNAL = 4;
    /** A canary rollout paused for a person. */
    public static final int PAUSED = 5;

    private ExitCodes() {
    }

    /** The exit code of a user-facing failure. */
    public static int of(ModelgateException e) {
        return e.kind() == ModelgateException.Kind.EXTERNAL ? EXTERNAL : BAD_INPUT;
    }
}
