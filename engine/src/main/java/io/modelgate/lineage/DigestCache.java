package io.modelgate.lineage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Digests of files already read, like DVC's state database: keyed by absolute path, inode, size and
 * modification time (nanoseconds where the file system keeps them), so an unchanged file is not read
 * again. Anything in the key that changed makes the file be read again.
 *
 * <p>The cache lives in one tab-separated text file (e.g. {@code .modelgate/digest-cache.tsv}).
 * {@link #load} ignores a missing, corrupt, truncated or old-format file and starts empty, saying why
 * in {@link #ignored()}. {@link #save} writes a temporary file in the same directory, forces it to disk
 * and moves it over the old one atomically: a crash leaves the old file or the new one, never a torn
 * one, and when two processes save at once the last one wins. Entries of files that no longer exist
 * are dropped on save (a file this instance stat'ed is taken to exist, which spares a second
 * {@code stat} of every file; an entry left behind is harmless and goes at a later save).
 *
 * <p>Thread-safe: a {@link DatasetDigester} updates it from many threads.
 */
public final class DigestCache {
    static final String MAGIC = "modelgate-digest-cache\t1";
    private static final String END = "end";

    private final Optional<Path> file;
    private final Map<String, DigestEntry> entries = new ConcurrentHashMap<>();
    /** Paths stat'ed by this process (looked up or put), so save need not check that they exist. */
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final String ignored;

    private DigestCache(Optional<Path> file, String ignored) {
        this.file = file;
        this.ignored = ignored;
    }

    /** A cache that is never saved: every file is read once per instance. */
    public static DigestCache inMemory() {
        return new DigestCache(Optional.empty(), "");
    }

    /**
     * Loads the cache kept in {@code file}; a missing or unreadable file, or one that is not a complete
     * cache file of this version, gives an empty cache (see {@link #ignored()}).
     */
    public static DigestCache load(Path file) {
        Path f = file.toAbsolutePath().normalize();
        List<DigestEntry> read = new ArrayList<>();
        String problem = "";
        try {
            problem = read(f, read);
        } catch (NoSuchFileException e) {
            problem = "";
        } catch (IOException e) {
            problem = file + ": cannot be read (" + e.getClass().getSimpleName() + "), starting with an empty digest cache";
        }
        DigestCache cache = new DigestCache(Optional.of(f), problem);
        if (problem.isEmpty()) {
            read.forEach(e -> cache.entries.put(e.path(), e));
        }
        return cache;
    }

    /** Why the file given to {@link #load} was ignored; empty when it was read or did not exist yet. */
    public Optional<String> ignored() {
        return ignored.isEmpty() ? Optional.empty() : Optional.of(ignored);
    }

    /** Entries held. */
    public int size() {
        return entries.size();
    }

    /** The file this cache is saved to; empty for {@link #inMemory()}. */
    public Optional<Path> file() {
        return file;
    }

    /**
     * Writes the cache to its file atomically, dropping entries of files that no longer exist; does
     * nothing for an in-memory cache.
     *
     * @throws LineageException when the file cannot be written
     */
    public void save() {
        if (file.isEmpty()) {
            return;
        }
        Path target = file.get();
        entries.values().removeIf(e -> !seen.contains(e.path()) && !Files.exists(Path.of(e.path())));
        List<DigestEntry> sorted = new ArrayList<>(entries.values());
        sorted.sort(Comparator.comparing(DigestEntry::path));
        Path tmp = null;
        try {
            Path dir = target.getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                Writer w = Channels.newWriter(ch, StandardCharsets.UTF_8);
                w.write(MAGIC);
                w.write('\n');
                for (DigestEntry e : sorted) {
                    w.write(line(e));
                    w.write('\n');
                }
                w.write(END + "\t" + sorted.size() + "\n");
                w.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new LineageException(LineageException.Kind.BAD_INPUT,
                    target + ": cannot write the digest cache (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignoredToo) {
                    // the temporary file is harmless; the next save writes a new one
                }
            }
        }
    }

    /** The cached entry of this file if its key is unchanged. */
    Optional<DigestEntry> lookup(DigestStat stat) {
        seen.add(stat.path());
        DigestEntry e = entries.get(stat.path());
        return e != null && e.matches(stat) ? Optional.of(e) : Optional.empty();
    }

    void put(DigestEntry entry) {
        seen.add(entry.path());
        entries.put(entry.path(), entry);
    }

    // ---- file format: a magic line, one line per entry, "end <count>"; fields are tab-separated and escaped

    private static String read(Path f, List<DigestEntry> into) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader r = new BufferedReader(Channels.newReader(FileChannel.open(f), decoder, -1))) {
            String first = r.readLine();
            if (!MAGIC.equals(first)) {
                return f + ": not a digest cache of this version, ignored (it is rewritten on the next save)";
            }
            int lineNo = 1;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.startsWith(END + "\t")) {
                    String count = line.substring(END.length() + 1);
                    if (!count.equals(Integer.toString(into.size())) || r.read() != -1) { // nothing may follow
                        return corrupt(f, lineNo);
                    }
                    return "";
                }
                Optional<DigestEntry> e = parse(line);
                if (e.isEmpty()) {
                    return corrupt(f, lineNo);
                }
                into.add(e.get());
            }
            return f + ": digest cache is truncated (no end line), ignored";
        } catch (CharacterCodingException e) {
            return f + ": digest cache is not UTF-8, ignored";
        }
    }

    private static String corrupt(Path f, int line) {
        return f + ":" + line + ": digest cache is corrupt, ignored";
    }

    static String line(DigestEntry e) {
        StringBuilder s = new StringBuilder(160);
        s.append(escape(e.path())).append('\t').append(escape(e.inode())).append('\t').append(e.size()).append('\t')
                .append(e.mtimeNanos()).append('\t').append(e.sha256()).append('\t').append(e.csvRows());
        for (String h : e.csvHeader()) {
            s.append('\t').append(escape(h));
        }
        return s.toString();
    }

    static Optional<DigestEntry> parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length < 6 || f[4].length() != 64 || !f[4].chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return Optional.empty();
        }
        try {
            List<String> header = new ArrayList<>();
            for (int i = 6; i < f.length; i++) {
                header.add(unescape(f[i]));
            }
            long size = Long.parseLong(f[2]);
            long rows = Long.parseLong(f[5]);
            String path = unescape(f[0]);
            if (size < 0 || rows < -1 || path.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new DigestEntry(path, unescape(f[1]), size, Long.parseLong(f[3]), f[4], header, rows));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String escape(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** @throws IllegalArgumentException on a dangling or unknown escape */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (++i == s.length()) {
                throw new IllegalArgumentException("dangling escape");
            }
            switch (s.charAt(i)) {
                case '\\' -> b.append('\\');
                case 't' -> b.append('\t');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                default -> throw new IllegalArgumentException("unknown escape");
            }
        }
        return b.toString();
    }
}
