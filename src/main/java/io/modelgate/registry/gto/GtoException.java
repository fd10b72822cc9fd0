package io.modelgate.registry.gto;

/** A GTO tag or repository that cannot be read or written; the message says which tag and why. */
public final class GtoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GtoException(String message) {
        super(message);
    }

    public GtoException(String message, Throwable cause) {
        super(message, cause);
    }
}
