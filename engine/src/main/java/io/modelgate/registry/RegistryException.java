package io.modelgate.registry;

import io.modelgate.common.ModelgateException;

/**
 * A registry request that cannot be carried out: an unknown model, version or stage, a bad name
 * (exit 2), or a registry that cannot be read or reached (exit 3).
 */
public class RegistryException extends ModelgateException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(Kind.BAD_INPUT, message);
    }

    RegistryException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    static RegistryException unreachable(String message, Throwable cause) {
        return new RegistryException(Kind.EXTERNAL, message, cause);
    }
}
