package io.modelgate.report;

import io.modelgate.common.ModelgateException;

/** A report that cannot be written, usually because the report directory is not writable. */
public class ReportException extends ModelgateException {
    private static final long serialVersionUID = 1L;

    public ReportException(String message, Throwable cause) {
        super(Kind.BAD_INPUT, message, cause);
    }
}
