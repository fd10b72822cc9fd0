package io.modelgate.store;

import io.modelgate.common.ModelgateException;

/**
 * A Git remote that cannot be reached or refused a change, a repository that cannot be written or
 * whose lock stays held (exit 3), or a URL or path that is not one (exit 2).
 */
public class StoreException extends ModelgateException {
    private static final long serialVersionUID = 1L;

    StoreException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    static StoreException unreachable(String message, Throwable cause) {
        return new StoreException(Kind.EXTERNAL, message, cause);
    }

    static StoreException badInput(String message) {
        return new StoreException(Kind.BAD_INPUT, message, null);
    }
}
