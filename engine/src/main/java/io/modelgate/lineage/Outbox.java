package io.modelgate.lineage;

import io.modelgate.common.ModelgateException.Kind;
import io.openlineage.client.OpenLineage.RunEvent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A folder of OpenLineage events not yet delivered. {@link #enqueue} stores each event as its own
 * file before anything is sent; {@link #flush} sends them oldest first and deletes each file only
 * after the receiver accepted it, stopping at the first failure so that order is kept.
 *
 * <p>Delivery is at least once: a crash between a successful send and the deletion of its file
 * sends that one event again on the next flush. Otherwise every event is sent exactly once. File
 * names sort in sending order: {@code <endedAt as 20-digit epoch nanoseconds>-<record id>-<NN>.json}.
 * One flush at a time per folder, also across processes (a lock file).
 */
public final class Outbox {
    /** The outbox folder inside a workspace. */
    public static final String DEFAULT_FOLDER = ".modelgate/openlineage-outbox";

    private static final String SUFFIX = ".json";
    private static final String LOCK = ".lock";

    private final Path dir;

    public Outbox(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The default outbox of a workspace: {@code <workspace>/.modelgate/openlineage-outbox}. */
    public static Outbox inWorkspace(Path workspace) {
        return new Outbox(workspace.resolve(DEFAULT_FOLDER));
    }

    public Path directory() {
        return dir;
    }

    /**
     * Stores the events of one record, durably and atomically, in sending order. Storing the same
     * record again replaces its pending files with identical ones.
     *
     * @return the files written
     * @throws LineageException when the folder cannot be written
     */
    public List<Path> enqueue(LineageRecord record, List<RunEvent> events) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < events.size(); i++) {
                String name = String.format("%020d-%s-%02d%s", epochNanos(record.endedAt()), safe(record.id()), i + 1, SUFFIX);
                Path target = dir.resolve(name);
                writeAtomically(target, OpenLineageEvents.toJsonLine(events.get(i)) + "\n");
                written.add(target);
            }
            return written;
        } catch (IOException e) {
            throw new LineageException(Kind.BAD_INPUT, "cannot store OpenLineage events in " + dir + ": "
                    + e.getClass().getSimpleName() + " " + OpenLineageEvents.firstLine(e.getMessage()), e);
        }
    }

    /** The pending event files, in sending order. */
    public List<Path> pending() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(SUFFIX) && !n.startsWith(".") && Files.isRegularFile(p);
            }).sorted().toList();
        } catch (IOException e) {
            throw new LineageException(Kind.BAD_INPUT, "cannot list the OpenLineage outbox " + dir + ": "
                    + OpenLineageEvents.firstLine(e.getMessage()), e);
        }
    }

    /**
     * Sends pending events in order, deleting each after it was accepted, and stops at the first
     * failure.
     *
     * @return how many were sent, how many remain, and the failure that stopped the flush
     */
    public OutboxFlushResult flush(OpenLineageSender sender) {
        if (!Files.isDirectory(dir)) {
            return new OutboxFlushResult(0, 0, Optional.empty());
        }
        try (FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            lockChannel.lock(); // released when the channel closes
            List<Path> files = pending();
            int sent = 0;
            for (Path file : files) {
                String json;
                try {
                    json = Files.readString(file, StandardCharsets.UTF_8).strip();
                } catch (NoSuchFileException gone) {
                    continue; // delivered by a flush that finished before we took the lock
                }
                try {
                    sender.send(json);
                } catch (LineageException e) {
                    return new OutboxFlushResult(sent, files.size() - sent, Optional.of(e));
                } catch (RuntimeException e) {
                    return new OutboxFlushResult(sent, files.size() - sent, Optional.of(new LineageException(Kind.EXTERNAL,
                            "cannot send OpenLineage event " + file.getFileName() + " to " + sender.destination() + ": "
                                    + e.getClass().getSimpleName(), null)));
                }
                Files.deleteIfExists(file);
                sent++;
            }
            return new OutboxFlushResult(sent, 0, Optional.empty());
        } catch (IOException e) {
            throw new LineageException(Kind.BAD_INPUT, "cannot use the OpenLineage outbox " + dir + ": "
                    + e.getClass().getSimpleName() + " " + OpenLineageEvents.firstLine(e.getMessage()), e);
        }
    }

    private void writeAtomically(Path target, String content) throws IOException {
        Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static long epochNanos(Instant t) {
        return Math.max(0, Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano()));
    }

    private static String safe(String id) {
        String s = id.replaceAll("[^A-Za-z0-9]", "");
        return s.isEmpty() ? "record" : s;
    }
}
