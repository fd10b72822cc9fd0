package io.modelgate.common;

/** Text or a name given by a user that breaks the rules every command shares (exit code 2). */
public final class InputException extends ModelgateException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(Kind.BAD_INPUT, message);
    }
}
