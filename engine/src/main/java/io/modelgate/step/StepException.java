package io.modelgate.step;

import io.modelgate.common.ModelgateException;

/** A step called with parameters it does not take, or without one it needs. */
public final class StepException extends ModelgateException {
    private static final long serialVersionUID = 1L;

    StepException(String message) {
        super(Kind.BAD_INPUT, message);
    }
}
