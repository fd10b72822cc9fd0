package io.modelgate.common;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/** Real hostile inputs for the readers' tests: FIFOs, gzip bombs, truncated and lying gzip files. */
public final class HostileFiles {
    private HostileFiles() {
    }

    /** A real FIFO made by {@code mkfifo}; the test is skipped where there is none (Windows). */
    public static Path fifo(Path at) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", at.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeThat(false).as("mkfifo is not available: " + e.getMessage()).isTrue();
            throw e;
        }
        assumeThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("mkfifo " + at).isTrue();
        return at;
    }

    public static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    /** {@code prefix}, then {@code count} bytes {@code b}, gzip-compressed as they are written (never all in memory). */
    public static byte[] gzipBomb(byte[] prefix, byte b, long count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, b);
        try (OutputStream out = new GZIPOutputStream(bytes, 1 << 16)) {
            out.write(prefix);
            for (long left = count; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return bytes.toByteArray();
    }

    /** A copy of a gzip file whose trailer's length field (ISIZE, the last four bytes) says {@code isize}. */
    public static byte[] withIsize(byte[] gzip, int isize) {
        byte[] copy = gzip.clone();
        java.nio.ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(copy.length - 4, isize);
        return copy;
    }

    /** A copy of a gzip file whose trailer's CRC-32 (bytes -8 to -4) is wrong. */
    public static byte[] withBadCrc(byte[] gzip) {
        byte[] copy = gzip.clone();
        copy[copy.length - 8] ^= 0x5a;
        return copy;
    }

    /** Writes {@code bytes} to {@code file}. */
    public static Path write(Path file, byte[] bytes) throws IOException {
        return Files.write(file, bytes);
    }

    /** What {@code body} threw (null if nothing), and the bytes it allocated on this thread. */
    public record Attempt(Throwable thrown, long allocated) {
    }

    /**
     * Runs {@code body} and measures what it allocated on this thread: the readers read gzip on the
     * caller's thread, so this is their memory for a gzip file, whatever the heap size.
     */
    public static Attempt attempt(Runnable body) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Throwable thrown = null;
        try {
            body.run();
        } catch (RuntimeException | OutOfMemoryError e) {
            thrown = e;
        }
        return new Attempt(thrown, threads.getCurrentThreadAllocatedBytes() - before);
    }
}
