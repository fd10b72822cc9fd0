package io.modelgate.registry.gto;

import io.modelgate.common.ModelgateException;

/**
 * A GTO tag or repository that cannot be read or written; the message says which tag and why. A
 * tag that cannot be made from the names given is bad input (exit 2); a repository that cannot be
 * read is an external failure (exit 3).
 */
public final class GtoException extends ModelgateException {
    private static final long serialVersionUID = 1L;

    public GtoException(String message) {
        super(Kind.BAD_INPUT, message);
    }

    public GtoException(String message, Throwable cause) {
        super(cause instanceof java.io.IOException ? Kind.EXTERNAL : Kind.BAD_INPUT, message, cause);
    }
}
