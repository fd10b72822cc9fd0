package io.modelgate.lineage;

import io.modelgate.common.ModelgateException.Kind;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends each event as one JSON line. Written here rather than with the client's FileTransport,
 * which logs and swallows write failures: an event must stay in the outbox when it was not written.
 */
final class OpenLineageFileSender implements OpenLineageSender {
    private final Path file;

    OpenLineageFileSender(Path file) {
        this.file = file.toAbsolutePath();
    }

    @Override
    public void send(String eventJson) {
        String line = eventJson.replace("\n", "").replace("\r", "") + "\n";
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
        } catch (IOException e) {
            throw new LineageException(Kind.EXTERNAL, "cannot append OpenLineage event to " + file + ": "
                    + e.getClass().getSimpleName() + " " + OpenLineageEvents.firstLine(e.getMessage()), e);
        }
    }

    @Override
    public String destination() {
        return file.toString();
    }

    @Override
    public void close() {
        // nothing held open between events
    }
}
