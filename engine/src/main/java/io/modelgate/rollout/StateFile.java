package io.modelgate.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelgate.common.Names;
import io.modelgate.common.RecordJson;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A rollout's persisted state ({@code <name>.json}) and its abort request ({@code <name>.abort}) in
 * a folder, written atomically so a crash never leaves half a state.
 */
public final class StateFile implements RolloutStore {
    private final Path state;
    private final Path abort;
    private final Path lock;
    private final ObjectMapper json = RecordJson.mapper();

    /**
     * @param name the rollout's name, which becomes a file name in {@code dir}: letters, digits,
     *             {@code . _ -} ({@link Names#segment}), so that no name can reach outside {@code dir}
     */
    public StateFile(Path dir, String name) {
        Names.segment("rollout name", name);
        this.state = dir.resolve(name + ".json");
        this.abort = dir.resolve(name + ".abort");
        this.lock = dir.resolve(name + ".lock");
    }

    public Path path() {
        return state;
    }

    @Override
    public String describe() {
        return state.toString();
    }

    @Override
    public Optional<RolloutState> load() {
        if (!Files.exists(state)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(state.toFile(), RolloutState.class));
        } catch (IOException e) {
            throw new RolloutException(state + ": unreadable rollout state: " + e.getMessage().lines().findFirst().orElse("")
                    + "; remove it to start over");
        }
    }

    @Override
    public void save(RolloutState s) {
        try {
            Files.createDirectories(state.getParent());
            Path tmp = state.resolveSibling("." + state.getFileName() + ".tmp");
            json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), s);
            try {
                Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new RolloutException(RolloutException.Kind.EXTERNAL, state + ": cannot save the rollout state: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Under an exclusive lock of {@code NAME.lock} (the operating system's, so a killed writer leaves
     * none behind): read the revision, compare, write. A lock held by another writer is waited for, up to
     * 30 s, then exit 3 naming the file.
     */
    @Override
    public boolean compareAndSave(long expected, RolloutState next) {
        try {
            Files.createDirectories(lock.getParent());
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                 java.nio.channels.FileLock held = lock(channel)) {
                long current = load().map(RolloutState::revision).orElse(-1L);
                if (current != expected) {
                    return false;
                }
                save(next);
                return held.isValid();
            }
        } catch (IOException e) {
            throw new RolloutException(RolloutException.Kind.EXTERNAL, lock + ": cannot lock the rollout state: "
                    + e.getMessage(), e);
        }
    }

    private java.nio.channels.FileLock lock(java.nio.channels.FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                java.nio.channels.FileLock l = channel.tryLock();
                if (l != null) {
                    return l;
                }
            } catch (java.nio.channels.OverlappingFileLockException e) {
                // another writer in this process holds it: wait as for one in another process
            }
            if (System.nanoTime() > deadline) {
                throw new RolloutException(RolloutException.Kind.EXTERNAL, lock + ": another writer has held the rollout's "
                        + "lock for 30 s", null);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RolloutException(RolloutException.Kind.EXTERNAL, lock + ": interrupted waiting for the lock", e);
            }
        }
    }

    @Override
    public void request(Request request) {
        try {
            Files.createDirectories(abort.getParent());
            // Written aside and moved into place: the running rollout polls it and must never read half of it.
            Path tmp = abort.resolveSibling("." + abort.getFileName() + ".tmp");
            Files.writeString(tmp, request.text());
            try {
                Files.move(tmp, abort, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abort, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new RolloutException(abort + ": cannot write the request: " + e.getMessage());
        }
    }

    @Override
    public Optional<Request> pending() {
        try {
            if (!Files.exists(abort)) {
                return Optional.empty();
            }
            // Through the one reader: something other than a regular file there (a FIFO) is never opened,
            // so it cannot stop the judge that polls it; it names no run, so no run takes it for its own.
            return Optional.of(Request.parse(io.modelgate.common.InputFiles.text(abort, RolloutException::new)));
        } catch (RuntimeException e) {
            return Optional.of(new Request("", Action.ABORT, "aborted"));
        }
    }

    @Override
    public void clearRequest() {
        try {
            Files.deleteIfExists(abort);
        } catch (IOException ignored) {
            // A stale request is reported by the next run, which then rolls back: the safe side.
        }
    }
}
