package io.modelgate.rollout;

import io.modelgate.common.ModelgateException;

/** A bad plan (exit 2), or a router or metrics provider that failed (exit 3). */
public class RolloutException extends ModelgateException {
    private static final long serialVersionUID = 1L;

    public RolloutException(String message) {
        super(Kind.BAD_INPUT, message);
    }

    public RolloutException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
