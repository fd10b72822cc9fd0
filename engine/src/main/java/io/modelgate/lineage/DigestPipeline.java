package io.modelgate.lineage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hashes a large file on the calling thread while a second thread reads ahead: the reader does the
 * copies (kernel to direct buffer, direct buffer to heap array) and the CSV scan, the caller only
 * hashes. On one core at a time the copies cost about a third of the time of SHA-256 with SHA-NI;
 * overlapped they cost nothing (see docs/performance.md).
 */
final class DigestPipeline {
    /** Files at least this large are read ahead on a second thread. */
    static final long MIN_SIZE = 8L << 20;
    private static final int BLOCKS = 4;

    private record Block(byte[] bytes, int length) {
    }

    private static final Block END = new Block(new byte[0], -1);

    private DigestPipeline() {
    }

    /** Reads {@code ch} to its end into {@code md} (and {@code csv} when not null); returns the bytes read. */
    @SuppressWarnings("ReferenceEquality") // END is a sentinel: the one block that is END, not equal to it
    static long hash(FileChannel ch, MessageDigest md, CsvScan csv) throws IOException {
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BLOCKS);
        BlockingQueue<Block> full = new ArrayBlockingQueue<>(BLOCKS + 1);
        for (int i = 0; i < BLOCKS; i++) {
            free.add(new byte[DatasetDigester.BUFFER]);
        }
        IOException[] failure = new IOException[1];
        Thread reader = new Thread(() -> {
            ByteBuffer direct = ByteBuffer.allocateDirect(DatasetDigester.BUFFER);
            try {
                while (true) {
                    byte[] b = free.take();
                    int n = fill(ch, direct, b);
                    if (n > 0) {
                        if (csv != null) {
                            csv.feed(b, 0, n);
                        }
                        full.put(new Block(b, n));
                    }
                    if (n < b.length) {
                        full.put(END);
                        return;
                    }
                }
            } catch (IOException e) {
                failure[0] = e;
                full.add(END); // never full: BLOCKS buffers exist, and it holds BLOCKS + 1
            } catch (InterruptedException e) {
                // the hashing thread gave up; nothing to hand over
            }
        }, "modelgate-digest-reader");
        reader.setDaemon(true);
        reader.start();
        long size = 0;
        try {
            for (Block b; (b = full.take()) != END; ) {
                md.update(b.bytes(), 0, b.length());
                size += b.length();
                free.put(b.bytes());
            }
            reader.join();
        } catch (InterruptedException e) {
            reader.interrupt();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return size;
    }

    /** Fills {@code b} from the channel through {@code direct}; fewer bytes only at the end of the file. */
    private static int fill(FileChannel ch, ByteBuffer direct, byte[] b) throws IOException {
        direct.clear().limit(b.length);
        while (direct.hasRemaining() && ch.read(direct) >= 0) {
            // read until the block is full or the file ends
        }
        int n = direct.position();
        direct.flip().get(b, 0, n);
        return n;
    }
}
