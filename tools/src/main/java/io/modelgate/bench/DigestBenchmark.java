package io.modelgate.bench;

import io.modelgate.lineage.Dataset;
import io.modelgate.lineage.DatasetDigester;
import io.modelgate.lineage.DigestCache;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The digest benchmark: SHA-256 throughput on one large file against {@code openssl dgst -sha256},
 * and a directory of many small files digested with an empty cache, then again with the saved cache,
 * then after one byte changed.
 *
 * <p>It never prints: progress goes to the given consumer, and the figures come back as a
 * {@link DigestBenchmarkResult}. Generated files are kept in the work directory and reused.
 */
public final class DigestBenchmark {
    public static final int DEFAULT_SIZE_MB = 1024;
    public static final int DEFAULT_FILES = 10_000;
    static final int RUNS = 5;
    private static final long SEED = 0x6469676573744c4eL;

    private DigestBenchmark() {
    }

    /**
     * Runs both parts.
     *
     * @param sizeMb size of the large file in MiB
     * @param files  files in the directory of small files (1 to 20 KB each)
     */
    public static DigestBenchmarkResult run(Path workDir, int sizeMb, int files, Consumer<String> progress) {
        if (sizeMb < 1 || files < 1) {
            throw new IllegalArgumentException("size and files must be at least 1; got " + sizeMb + " MiB and " + files);
        }
        try {
            Files.createDirectories(workDir);
            Path large = workDir.resolve("digest-bench-" + sizeMb + "m.bin");
            long bytes = (long) sizeMb << 20;
            if (!Files.isRegularFile(large) || Files.size(large) != bytes) {
                progress.accept(String.format(Locale.ROOT, "generating %s (%,d MiB of random bytes)", large, sizeMb));
                writeRandom(large, bytes);
            }
            progress.accept("warming the page cache: reading " + large + " once");
            warm(large);

            Optional<String> version = opensslVersion();
            List<Double> ours = new ArrayList<>();
            List<Double> openssl = new ArrayList<>();
            boolean agree = true;
            String ourDigest = "";
            for (int r = 0; r < RUNS; r++) {
                long t0 = System.nanoTime();
                ourDigest = new DatasetDigester(DigestCache.inMemory(), 1).digest(large).sha256();
                ours.add((System.nanoTime() - t0) / 1e9);
                if (version.isPresent()) {
                    long t1 = System.nanoTime();
                    String theirs = openssl(large);
                    openssl.add((System.nanoTime() - t1) / 1e9);
                    agree &= theirs.equals(ourDigest);
                }
                progress.accept(String.format(Locale.ROOT, "run %d: modelgate %.3f s%s", r + 1, ours.get(r),
                        openssl.isEmpty() ? "" : String.format(Locale.ROOT, ", openssl %.3f s", openssl.get(r))));
            }

            Path dir = workDir.resolve("digest-bench-files-" + files);
            Path done = workDir.resolve("digest-bench-files-" + files + ".done");
            if (!Files.exists(done)) {
                progress.accept(String.format(Locale.ROOT, "generating %,d files of 1-20 KB in %s", files, dir));
                deleteTree(dir);
                writeSmallFiles(dir, files);
                Files.writeString(done, "generated\n");
            }
            Path cacheFile = workDir.resolve("digest-bench-cache.tsv");
            Files.deleteIfExists(cacheFile);
            int threads = Runtime.getRuntime().availableProcessors();

            Timed cold = digestWithCache(dir, cacheFile, threads);
            progress.accept(String.format(Locale.ROOT, "cold cache: %.3f s, %,d files read", cold.seconds, cold.filesRead));
            Timed warm = digestWithCache(dir, cacheFile, threads);
            progress.accept(String.format(Locale.ROOT, "warm cache: %.3f s, %,d files read", warm.seconds, warm.filesRead));
            Path victim = changeOneByte(dir, files);
            Timed changed = digestWithCache(dir, cacheFile, threads);
            progress.accept(String.format(Locale.ROOT, "one byte of %s changed: %.3f s, %,d files read",
                    dir.relativize(victim), changed.seconds, changed.filesRead));

            return new DigestBenchmarkResult(large, bytes, ours, openssl,
                    version.orElse("openssl not found on PATH (Debian: apt-get install openssl)"), agree, dir,
                    (int) cold.dataset.files(), cold.dataset.size(), threads, cold.seconds, cold.filesRead,
                    warm.seconds, warm.filesRead, changed.seconds, changed.filesRead,
                    !changed.dataset.sha256().equals(warm.dataset.sha256()), shaIntrinsics(), Instant.now());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Timed(Dataset dataset, double seconds, long filesRead) {
    }

    /** What a command does: load the cache, digest, save. */
    private static Timed digestWithCache(Path dir, Path cacheFile, int threads) {
        long t0 = System.nanoTime();
        DigestCache cache = DigestCache.load(cacheFile);
        DatasetDigester digester = new DatasetDigester(cache, threads);
        Dataset d = digester.digest(dir);
        cache.save();
        return new Timed(d, (System.nanoTime() - t0) / 1e9, digester.filesRead());
    }

    /** Flips one byte of one file, in place: same size, new modification time. */
    private static Path changeOneByte(Path dir, int files) throws IOException {
        Path f = smallFile(dir, files / 2);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, 0);
            b.put(0, (byte) ~b.get(0)).rewind();
            ch.write(b, 0);
        }
        return f;
    }

    private static Path smallFile(Path dir, int i) {
        return dir.resolve(String.format(Locale.ROOT, "d%03d/f%06d.bin", i / 100, i));
    }

    private static void writeSmallFiles(Path dir, int files) throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < files; i++) {
            byte[] b = new byte[1000 + random.nextInt(19_001)];
            fill(random, b);
            Path f = smallFile(dir, i);
            Files.createDirectories(f.getParent());
            Files.write(f, b);
        }
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] b = new byte[1 << 20];
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            for (long left = bytes; left > 0; left -= b.length) {
                fill(random, b);
                out.write(b, 0, (int) Math.min(b.length, left));
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void fill(SplittableRandom random, byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.remaining() >= 8) {
            bb.putLong(random.nextLong());
        }
        while (bb.hasRemaining()) {
            bb.put((byte) random.nextInt());
        }
    }

    private static void warm(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file)) {
            while (ch.read(b.clear()) >= 0) {
                // only to bring the file into the page cache
            }
        }
    }

    private static Optional<String> opensslVersion() {
        try {
            String out = runProcess(List.of("openssl", "version")).trim();
            return out.isEmpty() ? Optional.empty() : Optional.of(out.lines().findFirst().orElse(out));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The hex digest printed by {@code openssl dgst -sha256 FILE} ({@code SHA2-256(FILE)= hex}). */
    private static String openssl(Path file) throws IOException {
        String out = runProcess(List.of("openssl", "dgst", "-sha256", file.toString())).trim();
        int eq = out.lastIndexOf("= ");
        return eq < 0 ? out : out.substring(eq + 2).trim();
    }

    private static String runProcess(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out.trim());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            p.destroy();
        }
    }

    private static String shaIntrinsics() {
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            try {
                return "UseSHA256Intrinsics=" + hotspot.getVMOption("UseSHA256Intrinsics").getValue();
            } catch (IllegalArgumentException diagnosticFlag) {
                return "UseSHA=" + hotspot.getVMOption("UseSHA").getValue();
            }
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
