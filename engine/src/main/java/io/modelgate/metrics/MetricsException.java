package io.modelgate.metrics;

import io.modelgate.common.ModelgateException;

/** A predictions or metrics file that cannot be read; the message names the file and line or field. */
public class MetricsException extends ModelgateException {
    private static final long serialVersionUID = 1L;

    public MetricsException(String message) {
        super(Kind.BAD_INPUT, message);
    }
}
