package io.modelgate.lineage;

import io.modelgate.common.InputFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Digests files and directories into {@link Dataset}s, reading each file once with a large buffer
 * and skipping files the {@link DigestCache} already knows unchanged.
 *
 * <ul>
 *   <li>A file: SHA-256 of its bytes; a {@code .csv} file (any case) also gets its header and its
 *       number of non-empty lines after the header, counted in the same pass.</li>
 *   <li>A directory: SHA-256 of the lines {@code <sha256>  <relative path>\n} of its regular files in
 *       sorted path order, {@code /} separated; the same as {@code io.modelgate.common.Digests} for any
 *       directory without symbolic links to directories. Symbolic links are followed (a link to a
 *       file counts as that file under the link's name; a link to a directory is descended into, which
 *       {@code Digests} does not do); a link loop is an error; broken links, sockets, FIFOs and devices
 *       inside a directory are skipped, as {@code Digests} skips them. Files are hashed on
 *       {@code threads} threads.</li>
 *   <li>A socket, FIFO or device given directly is an error (reading a FIFO could block forever).</li>
 * </ul>
 *
 * <p>Counters ({@link #bytesRead()}, {@link #filesRead()}, {@link #cacheHits()}) add up over the
 * digester's life, so callers and tests can see what was read and what came from the cache.
 */
public final class DatasetDigester {
    /** Read size: large enough that system calls cost nothing next to hashing. */
    static final int BUFFER = 1 << 20;
    /** Hashed (and scanned) from a heap array in pieces of this size, which stay in the CPU's L2 cache. */
    static final int CHUNK = 1 << 16;

    private final DigestCache cache;
    private final int threads;
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder filesRead = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();

    /** Hashes the files of a directory on all available processors. */
    public DatasetDigester(DigestCache cache) {
        this(cache, Runtime.getRuntime().availableProcessors());
    }

    /** @param threads files of a directory hashed at once, at least 1 */
    public DatasetDigester(DigestCache cache, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        this.cache = cache;
        this.threads = threads;
    }

    public DigestCache cache() {
        return cache;
    }

    public int threads() {
        return threads;
    }

    /** Bytes read from files so far (cache hits read none). */
    public long bytesRead() {
        return bytesRead.sum();
    }

    /** Files read so far. */
    public long filesRead() {
        return filesRead.sum();
    }

    /** Files whose digest came from the cache so far. */
    public long cacheHits() {
        return cacheHits.sum();
    }

    /**
     * Digests a file or a directory.
     *
     * @throws LineageException (bad input) naming the path: missing, unreadable, a symbolic link loop,
     *                          not a regular file or directory
     */
    public Dataset digest(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        DigestStat stat = stat(path, absolute);
        if (stat.directory()) {
            return directory(path, absolute);
        }
        if (!stat.regular()) {
            // Refused from one stat, before anything is opened: opening a FIFO blocks until it has a writer.
            throw new LineageException(path + ": is not a regular file or directory (it is "
                    + InputFiles.kind(absolute) + ")");
        }
        DigestEntry e = file(path, absolute, stat, new Buffers(stat.size()));
        return new Dataset(absolute.toString(), e.sha256(), e.size(), 1, e.csvHeader(), e.csvRows());
    }

    private Dataset directory(Path given, Path absolute) {
        List<DigestStat> files = regularFiles(given, absolute);
        int n = files.size();
        DigestEntry[] results = new DigestEntry[n];
        int workers = Math.min(threads, n);
        if (workers <= 1) {
            Buffers buffers = new Buffers(BUFFER);
            for (int i = 0; i < n; i++) {
                results[i] = fileIn(given, absolute, files.get(i), buffers);
            }
        } else {
            parallel(given, absolute, files, results, workers);
        }
        MessageDigest listing = sha256();
        long size = 0;
        for (int i = 0; i < n; i++) {
            size += results[i].size();
            String rel = absolute.relativize(Path.of(files.get(i).path())).toString().replace('\\', '/');
            listing.update((results[i].sha256() + "  " + rel + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new Dataset(absolute.toString(), hex(listing.digest()), size, n, List.of(), -1);
    }

    private void parallel(Path given, Path absolute, List<DigestStat> files, DigestEntry[] results, int workers) {
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "modelgate-digest");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    Buffers buffers = new Buffers(BUFFER);
                    for (int i; !failed.get() && (i = next.getAndIncrement()) < files.size(); ) {
                        try {
                            results[i] = fileIn(given, absolute, files.get(i), buffers);
                        } catch (RuntimeException e) {
                            failed.set(true);
                            throw e;
                        }
                    }
                    return null;
                }));
            }
            LineageException first = null;
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof LineageException le) {
                        first = first == null ? le : first;
                    } else if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    } else {
                        throw new IllegalStateException(e.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LineageException(LineageException.Kind.BAD_INPUT, given + ": interrupted while digesting", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A file found in a directory: named in errors by the directory as given plus its relative path. */
    private DigestEntry fileIn(Path givenDir, Path absoluteDir, DigestStat stat, Buffers buffers) {
        Path file = Path.of(stat.path());
        return file(givenDir.resolve(absoluteDir.relativize(file)), file, stat, buffers);
    }

    private DigestEntry file(Path named, Path absolute, DigestStat before, Buffers buffers) {
        var hit = cache.lookup(before);
        if (hit.isPresent()) {
            cacheHits.increment();
            return hit.get();
        }
        MessageDigest md = sha256();
        CsvScan csv = absolute.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? new CsvScan() : null;
        long size = 0;
        try (FileChannel ch = FileChannel.open(absolute, StandardOpenOption.READ)) {
            if (before.size() >= DigestPipeline.MIN_SIZE) {
                size = DigestPipeline.hash(ch, md, csv);
            } else {
                size = hashInline(ch, md, csv, buffers);
            }
        } catch (IOException e) {
            throw problem(named, e);
        }
        bytesRead.add(size);
        filesRead.increment();
        DigestEntry entry = new DigestEntry(before.path(), before.inode(), size, before.mtimeNanos(), hex(md.digest()),
                csv == null ? List.of() : csv.header(), csv == null ? -1 : csv.rows());
        DigestStat after = stat(named, absolute);
        if (after.sameAs(before) && size == before.size()) {
            cache.put(entry);
        }
        return entry;
    }

    private static long hashInline(FileChannel ch, MessageDigest md, CsvScan csv, Buffers buffers) throws IOException {
        ByteBuffer direct = buffers.direct;
        byte[] chunk = buffers.chunk;
        long size = 0;
        while (ch.read(direct.clear()) >= 0) {
            direct.flip();
            while (direct.hasRemaining()) {
                int n = Math.min(chunk.length, direct.remaining());
                direct.get(chunk, 0, n);
                md.update(chunk, 0, n);
                if (csv != null) {
                    csv.feed(chunk, 0, n);
                }
                size += n;
            }
        }
        return size;
    }

    private record Walked(Path path, DigestStat stat) {
    }

    /** The regular files under a directory in sorted path order (as {@code common.Digests} sorts them). */
    private List<DigestStat> regularFiles(Path given, Path absolute) {
        List<Walked> files = new ArrayList<>();
        try {
            Files.walkFileTree(absolute, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile()) {
                                files.add(new Walked(file, DigestStat.of(file, attrs)));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                            throw e;
                        }
                    });
        } catch (FileSystemLoopException e) {
            Path at = given.resolve(absolute.relativize(Path.of(e.getFile())));
            throw new LineageException(LineageException.Kind.BAD_INPUT,
                    at + ": symbolic link loop (" + target(Path.of(e.getFile())) + " is a directory it is inside)", e);
        } catch (IOException e) {
            Path at = e instanceof java.nio.file.FileSystemException fse && fse.getFile() != null
                    ? given.resolve(absolute.relativize(Path.of(fse.getFile()))) : given;
            throw problem(at, e);
        } catch (UncheckedIOException e) {
            throw problem(given, e.getCause());
        }
        files.sort(Comparator.comparing(Walked::path));
        return files.stream().map(Walked::stat).toList();
    }

    private static String target(Path link) {
        try {
            return "it points to " + Files.readSymbolicLink(link) + ", which";
        } catch (IOException | UnsupportedOperationException e) {
            return "it leads to a directory that";
        }
    }

    private static DigestStat stat(Path named, Path absolute) {
        try {
            return DigestStat.of(absolute);
        } catch (IOException e) {
            throw problem(named, e);
        }
    }

    private static LineageException problem(Path named, IOException e) {
        String what;
        if (e instanceof NoSuchFileException) {
            what = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof NotDirectoryException) {
            what = "not a directory";
        } else {
            String m = e.getMessage();
            what = e.getClass().getSimpleName() + (m == null ? "" : ": " + m.replace('\n', ' '));
        }
        return new LineageException(LineageException.Kind.BAD_INPUT, named + ": " + what, e);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /**
     * One thread's buffers: the file is read into a direct buffer (one copy, by the kernel) and hashed
     * from a small heap array. Reading straight into a 1 MiB heap array costs a second copy through the
     * JDK's temporary direct buffer and runs at half the speed (see docs/performance.md).
     */
    private static final class Buffers {
        final ByteBuffer direct;
        final byte[] chunk;

        Buffers(long size) {
            int read = (int) Math.min(BUFFER, Math.max(size + 1, 8192));
            direct = ByteBuffer.allocateDirect(read);
            chunk = new byte[Math.min(CHUNK, read)];
        }
    }
}
