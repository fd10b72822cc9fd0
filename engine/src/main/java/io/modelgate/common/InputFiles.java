package io.modelgate.common;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opening the files users give as input (predictions, drift tables, metrics files, policies, plans):
 * one set of rules and one set of one-line errors for every reader, in the caller's exception type
 * (as {@link Yaml} does) so each command keeps its exit code.
 *
 * <ul>
 *   <li>Only a regular file is read. A directory, FIFO, socket or device is refused from its type,
 *       read with {@code stat} <em>before</em> anything is opened: opening a FIFO would block until
 *       someone writes to it, and reading {@code /dev/zero} never ends. A symbolic link to a regular
 *       file is that file. (A file swapped for a FIFO between the check and the open is not caught;
 *       that needs someone who can already write where the input lives.)</li>
 *   <li>A gzip file is recognised by its first two bytes ({@code 1f 8b}), whatever its name, and
 *       decompressed as it is read. Nothing is sized from what the file says about itself (the gzip
 *       trailer's length is the length modulo 2^32, and of a truncated file it is whatever bytes
 *       happen to be last): readers grow their buffers as data arrives. A gzip file that expands to
 *       more than {@link #MAX_EXPANSION} times its compressed size (and more than
 *       {@link #MIN_EXPANSION_ALLOWANCE}) is refused as a likely gzip bomb; deflate cannot exceed
 *       about 1032 to 1, so only data that is nearly all one repeated pattern comes near it.</li>
 *   <li>A text document (JSON, YAML, a metrics CSV) is at most {@link #MAX_TEXT_BYTES}, UTF-8, and
 *       a byte order mark before it is dropped.</li>
 * </ul>
 */
public final class InputFiles {
    /** A gzip file may expand to this many times its size on disk... */
    public static final long MAX_EXPANSION = 1000;
    /** ...or to this many bytes, whichever is more (small files of one repeated line stay readable). */
    public static final long MIN_EXPANSION_ALLOWANCE = 16L << 20;
    /** The largest text document (metrics file, policy, plan) read whole, after decompression. */
    public static final int MAX_TEXT_BYTES = 16 << 20;

    private InputFiles() {
    }

    /** What a reader is given: an open regular file, its size, and whether it is gzip. */
    public static final class Input {
        private final String name;
        private final FileChannel channel;
        private final long size;
        private final boolean gzip;

        private Input(String name, FileChannel channel, long size, boolean gzip) {
            this.name = name;
            this.channel = channel;
            this.size = size;
            this.gzip = gzip;
        }

        /** The file as the user named it, for messages. */
        public String name() {
            return name;
        }

        /** The open file, for positional reads; closed by {@link #read} when the reader returns. */
        public FileChannel channel() {
            return channel;
        }

        /** Bytes on disk when the file was opened (compressed, for a gzip file). */
        public long size() {
            return size;
        }

        public boolean gzip() {
            return gzip;
        }

        /** Bytes {@code [from, to)} of the file as stored, by positional reads: threads may each read a stretch. */
        public InputStream stretch(long from, long to) {
            return new ChannelStream(channel, from, to);
        }

        /**
         * The whole content from its start, decompressed when the file is gzip; the decompressed
         * stream refuses to give more than {@link #MAX_EXPANSION} times the file's size.
         */
        public InputStream content() throws IOException {
            InputStream raw = stretch(0, size);
            if (!gzip) {
                return raw;
            }
            return new Bounded(new GZIPInputStream(raw, 1 << 16), Math.max(MIN_EXPANSION_ALLOWANCE,
                    size > Long.MAX_VALUE / MAX_EXPANSION ? Long.MAX_VALUE : size * MAX_EXPANSION));
        }
    }

    /** What a reader does with an {@link Input}; an {@link IOException} becomes the caller's one-line error. */
    public interface Body<T> {
        T read(Input input) throws IOException;
    }

    /**
     * Opens {@code file} after checking it is a regular file, gives it to {@code body}, and closes it.
     * Every failure to read is {@code error}'s one line naming the file: no such file, not a regular
     * file, permission denied, gzip data truncated or corrupt, a gzip bomb, any other I/O error.
     * Exceptions {@code body} throws itself pass through.
     */
    public static <T> T read(Path file, Function<String, ? extends ModelgateException> error, Body<T> body) {
        String name = file.toString();
        requireRegular(file, error);
        boolean gzip = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            gzip = isGzip(channel, size);
            return body.read(new Input(name, channel, size, gzip));
        } catch (TooLarge e) {
            throw error.apply(name + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw error.apply(name + ": no such file");
        } catch (AccessDeniedException e) {
            throw error.apply(name + ": permission denied");
        } catch (ZipException | EOFException e) {
            if (!gzip) {
                throw error.apply(name + ": cannot read: " + oneLine(e));
            }
            throw error.apply(name + ": gzip data is truncated or corrupt (" + oneLine(e) + ")");
        } catch (IOException e) {
            throw error.apply(name + ": cannot read: " + oneLine(e));
        }
    }

    /**
     * The text of {@code file} (decompressed when it is gzip): UTF-8, without a leading byte order
     * mark, at most {@link #MAX_TEXT_BYTES}. The errors of {@link #read}, and one for text that is too
     * long or not UTF-8.
     */
    public static String text(Path file, Function<String, ? extends ModelgateException> error) {
        String tooLarge = file + ": is larger than " + (MAX_TEXT_BYTES >> 20) + " MB; a metrics, policy or "
                + "configuration file is expected to be small";
        Text t = read(file, error, in -> {
            if (!in.gzip() && in.size() > MAX_TEXT_BYTES) {
                return null; // known from its size: nothing need be read
            }
            try (InputStream s = in.content()) {
                return upTo(s, MAX_TEXT_BYTES);
            }
        });
        if (t == null) {
            throw error.apply(tooLarge);
        }
        byte[] bytes = t.bytes();
        int from = t.length() >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, t.length() - from));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw error.apply(file + ": is not UTF-8 text (byte " + (from + firstBadByte(bytes, from, t.length()) + 1)
                    + " is not part of a UTF-8 character)");
        }
    }

    /** The first {@code length} bytes of {@code bytes}. */
    private record Text(byte[] bytes, int length) {
    }

    /**
     * Refuses, from its type alone and without opening it, anything but a regular file (a symbolic
     * link is followed): a directory, FIFO, socket or device is {@code error}'s one line.
     */
    public static void requireRegular(Path file, Function<String, ? extends ModelgateException> error) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw error.apply(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw error.apply(file + ": permission denied");
        } catch (IOException e) {
            throw error.apply(file + ": cannot read: " + oneLine(e));
        }
        if (!a.isRegularFile()) {
            throw error.apply(file + ": is not a regular file (it is " + kind(file, a) + ")");
        }
    }

    /** {@link #kind(Path, BasicFileAttributes)}, reading the attributes (following links). */
    public static String kind(Path file) {
        try {
            return kind(file, Files.readAttributes(file, BasicFileAttributes.class));
        } catch (IOException e) {
            return "a FIFO, socket or device";
        }
    }

    /**
     * What a file that is not a regular file is, for a message: "a directory", "a FIFO", "a socket",
     * "a character device", "a block device", or "a FIFO, socket or device" where the file system
     * does not say.
     */
    public static String kind(Path file, BasicFileAttributes a) {
        if (a.isDirectory()) {
            return "a directory";
        }
        int mode;
        try {
            mode = (Integer) Files.getAttribute(file, "unix:mode");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // A file system without the unix attribute view (Windows, some mounts): the file is refused all the
            // same, only its exact kind cannot be named, so the message lists what it may be.
            mode = 0;
        }
        return switch (mode & 0170000) {
            case 0010000 -> "a FIFO";
            case 0140000 -> "a socket";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            default -> "a FIFO, socket or device";
        };
    }

    private static boolean isGzip(FileChannel channel, long size) throws IOException {
        if (size < 2) {
            return false;
        }
        ByteBuffer magic = ByteBuffer.allocate(2);
        while (magic.hasRemaining() && channel.read(magic, magic.position()) > 0) {
            // read the first two bytes
        }
        return magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b;
    }

    /** The bytes of {@code in} if there are at most {@code max}, else null; the buffer grows as they arrive. */
    private static Text upTo(InputStream in, int max) throws IOException {
        byte[] buf = new byte[8192];
        int len = 0;
        while (true) {
            if (len == buf.length) {
                if (len == max) {
                    return in.read() < 0 ? new Text(buf, len) : null;
                }
                buf = Arrays.copyOf(buf, (int) Math.min(max, buf.length * 2L));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                return new Text(buf, len);
            }
            len += n;
        }
    }

    /** Offset from {@code from} of the first byte that does not start or continue a valid UTF-8 sequence. */
    private static int firstBadByte(byte[] bytes, int from, int to) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            var result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position() - from;
            }
            if (result.isUnderflow()) {
                return to - from;
            }
            out.clear();
        }
    }

    private static String oneLine(IOException e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ').replace('\r', ' ');
    }

    /** A stretch of a file read with positional reads, so several threads can share the channel. */
    private static final class ChannelStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        ChannelStream(FileChannel channel, long from, long to) {
            this.channel = channel;
            this.position = from;
            this.end = to;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int want = (int) Math.min(len, end - position);
            int n = channel.read(ByteBuffer.wrap(b, off, want), position);
            if (n < 0) {
                return -1;
            }
            position += n;
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** The decompressed stream expanded beyond what any real data set does. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    /** Counts what a decompressing stream gives and refuses to give more than {@code limit}. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long count;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        private void counted(long n) throws TooLarge {
            count += n;
            if (count > limit) {
                throw new TooLarge("gzip data expands to more than " + (limit >> 20) + " MB, over " + MAX_EXPANSION
                        + " times its compressed size: refused as a likely gzip bomb");
            }
        }
    }
}
