package io.modelgate.common;

/**
 * A failure a user can act on: bad input, or an external system that did not answer.
 *
 * <p>Every capability package has its own subclass; the command line maps {@link #kind()} to an
 * exit code and prints {@link #getMessage()} as one line, never a stack trace.
 */
public abstract class ModelgateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, which decides the exit code. */
    public enum Kind {
        /** Malformed or missing file, unknown key, bad flag value: exit code 2. */
        BAD_INPUT,
        /** A server, registry or router that failed or could not be reached: exit code 3. */
        EXTERNAL
    }

    private final Kind kind;

    protected ModelgateException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    protected ModelgateException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
