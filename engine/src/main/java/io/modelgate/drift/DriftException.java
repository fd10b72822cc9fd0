package io.modelgate.drift;

import io.modelgate.common.ModelgateException;

/** Drift input that cannot be used: a missing column, text in a numeric column, an empty window, a bad policy. */
public class DriftException extends ModelgateException {
    private static final long serialVersionUID = 1L;

    public DriftException(String message) {
        super(Kind.BAD_INPUT, message);
    }

    public DriftException(String message, Throwable cause) {
        super(Kind.BAD_INPUT, message, cause);
    }
}
