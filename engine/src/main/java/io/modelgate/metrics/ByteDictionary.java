package io.modelgate.metrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dictionary-encodes text values given as byte ranges: the same bytes always get the same code,
 * codes are handed out in first-seen order, and a String is made only for a value seen first.
 */
final class ByteDictionary {
    private int[] table = new int[64]; // values longer than 8 bytes: code + 1, 0 = empty slot
    private int longCount;
    private byte[] pool = new byte[1024];
    private int poolSize;
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private int[] hashes = new int[16];
    private final List<String> values = new ArrayList<>();
    /**
     * Values of up to 8 bytes (most categories: {@code US}, {@code male}, {@code cat2}) are looked up
     * by their bytes packed in a long, one comparison instead of hashing and comparing bytes.
     * {@code shortTable} holds code + 1 (0 = empty); the key's length tells {@code "a"} from {@code "\0a"}.
     */
    private long[] shortKeys = new long[64];
    private int[] shortTable = new int[64];
    private int shortCount;
    /** The column, for messages. */
    private final String column;

    ByteDictionary() {
        this("");
    }

    ByteDictionary(String column) {
        this.column = column;
    }

    /**
     * A new value longer than {@link CsvChunkParser#MAX_VALUE_BYTES}, not valid UTF-8, or more distinct
     * text than an array holds: the parser turns it into an error naming the line.
     */
    static final class BadValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadValue(String message) {
            super(message, null, false, false);
        }
    }

    /** The code of {@code b[from, to)}, adding the value if it is new. */
    int code(byte[] b, int from, int to) {
        int len = to - from;
        if (len <= 8) {
            long packed = 0;
            for (int i = from; i < to; i++) {
                packed = packed << 8 | (b[i] & 0xff);
            }
            return shortCode(packed, b, from, len);
        }
        return longCode(b, from, to);
    }

    private int shortCode(long packed, byte[] b, int from, int len) {
        int mask = shortTable.length - 1;
        int slot = (int) (((packed + len) * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        while (true) {
            int entry = shortTable[slot];
            if (entry == 0) {
                int code = add(b, from, len, 0, -1);
                shortKeys[slot] = packed;
                shortTable[slot] = code + 1;
                if (++shortCount * 2 > shortTable.length) {
                    rehashShort();
                }
                return code;
            }
            if (shortKeys[slot] == packed && lengths[entry - 1] == len) {
                return entry - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void rehashShort() {
        long[] keys = new long[shortKeys.length * 2];
        int[] table = new int[shortTable.length * 2];
        int mask = table.length - 1;
        for (int old = 0; old < shortTable.length; old++) {
            int entry = shortTable[old];
            if (entry != 0) {
                long packed = shortKeys[old];
                int slot = (int) (((packed + lengths[entry - 1]) * 0x9E3779B97F4A7C15L) >>> 40) & mask;
                while (table[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = packed;
                table[slot] = entry;
            }
        }
        shortKeys = keys;
        shortTable = table;
    }

    private int longCode(byte[] b, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        h ^= h >>> 16;
        int mask = table.length - 1;
        int slot = h & mask;
        int len = to - from;
        while (true) {
            int entry = table[slot];
            if (entry == 0) {
                return add(b, from, len, h, slot);
            }
            int code = entry - 1;
            if (hashes[code] == h && lengths[code] == len && same(offsets[code], b, from, len)) {
                return code;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * A new value's text. Bytes that are not UTF-8 are refused rather than replaced: two different
     * byte strings would otherwise become one slice (both U+FFFD), and the report would show a value
     * that is not in the file. Only new values are decoded, so this costs once per distinct value.
     */
    private String decode(byte[] b, int from, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b, from, len)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new BadValue("column '" + column + "' has a value that is not valid UTF-8; save the file as UTF-8");
        }
    }

    private boolean same(int at, byte[] b, int from, int len) {
        if (len > 16) {
            return Arrays.equals(pool, at, at + len, b, from, from + len);
        }
        for (int i = 0; i < len; i++) {
            if (pool[at + i] != b[from + i]) {
                return false;
            }
        }
        return true;
    }

    private int add(byte[] b, int from, int len, int h, int slot) {
        if (len > CsvChunkParser.MAX_VALUE_BYTES) {
            throw new BadValue("column '" + column + "' has a value of " + len + " bytes; text values may be at most "
                    + (CsvChunkParser.MAX_VALUE_BYTES >> 10) + " KB");
        }
        if ((long) poolSize + len > Integer.MAX_VALUE - 16) {
            throw new BadValue("column '" + column + "' has more than 2 GB of distinct text values");
        }
        int code = values.size();
        if (code == offsets.length) {
            offsets = Arrays.copyOf(offsets, code * 2);
            lengths = Arrays.copyOf(lengths, code * 2);
            hashes = Arrays.copyOf(hashes, code * 2);
        }
        if (poolSize + len > pool.length) {
            pool = Arrays.copyOf(pool, (int) Math.min(Integer.MAX_VALUE - 16,
                    Math.max(pool.length * 2L, poolSize + (long) len)));
        }
        System.arraycopy(b, from, pool, poolSize, len);
        offsets[code] = poolSize;
        lengths[code] = len;
        hashes[code] = h;
        poolSize += len;
        values.add(decode(b, from, len));
        if (slot >= 0) { // a long value: into the hashed table
            table[slot] = code + 1;
            longCount++;
            if (longCount * 2 > table.length) {
                rehash();
            }
        }
        return code;
    }

    private void rehash() {
        int[] bigger = new int[table.length * 2];
        int mask = bigger.length - 1;
        for (int code = 0; code < values.size(); code++) {
            if (lengths[code] <= 8) {
                continue; // in the short table
            }
            int slot = hashes[code] & mask;
            while (bigger[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            bigger[slot] = code + 1;
        }
        table = bigger;
    }

    int size() {
        return values.size();
    }

    /** The values, indexed by code. */
    List<String> values() {
        return values;
    }
}
