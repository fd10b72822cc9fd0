package io.modelgate.gate;

import io.modelgate.common.ModelgateException;

/** A policy that cannot be used; the message names the file and the key or line. */
public class GateException extends ModelgateException {
    private static final long serialVersionUID = 1L;

    public GateException(String message) {
        super(Kind.BAD_INPUT, message);
    }
}
