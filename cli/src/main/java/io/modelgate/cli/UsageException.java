package io.modelgate.cli;

import io.modelgate.common.ModelgateException;

/** A flag value that parses but makes no sense; exit code 2 like any bad input. */
final class UsageException extends ModelgateException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(Kind.BAD_INPUT, message);
    }
}
