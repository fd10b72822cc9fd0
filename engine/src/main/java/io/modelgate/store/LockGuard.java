package io.modelgate.store;

import java.nio.file.Path;

/**
 * A store's last word before a stale lock of one of its refs is removed: it throws a user-facing
 * error to keep the file (the registry keeps a file that is an old model's ref, not a lock).
 */
@FunctionalInterface
public interface LockGuard {
    LockGuard NONE = (ref, lock) -> { };

    void check(String ref, Path lock);
}
