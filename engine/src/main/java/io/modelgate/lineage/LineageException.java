package io.modelgate.lineage;

import io.modelgate.common.ModelgateException;

/** A lineage request that cannot be carried out: a missing path, an unknown record (exit 2), or an unreachable endpoint (exit 3). */
public class LineageException extends ModelgateException {
    private static final long serialVersionUID = 1L;

    public LineageException(String message) {
        super(Kind.BAD_INPUT, message);
    }

    public LineageException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
