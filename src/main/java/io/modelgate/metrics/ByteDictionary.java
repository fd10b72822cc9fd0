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
    private int[] table = new int[64]; // code + 1, 0 = empty slot
    private byte[] pool = new byte[1024];
    private int poolSize;
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private int[] hashes = new int[16];
    private final List<String> values = new ArrayList<>();

    /** The code of {@code b[from, to)}, adding the value if it is new. */
    int code(byte[] b, int from, int to) {
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
        int code = values.size();
        if (code == offsets.length) {
            offsets = Arrays.copyOf(offsets, code * 2);
            lengths = Arrays.copyOf(lengths, code * 2);
            hashes = Arrays.copyOf(hashes, code * 2);
        }
        if (poolSize + len > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolSize + len));
        }
        System.arraycopy(b, from, pool, poolSize, len);
        offsets[code] = poolSize;
        lengths[code] = len;
        hashes[code] = h;
        poolSize += len;
        values.add(new String(b, from, len, StandardCharsets.UTF_8));
        table[slot] = code + 1;
        if ((code + 1) * 2 > table.length) {
            rehash();
        }
        return code;
    }

    private void rehash() {
        int[] bigger = new int[table.length * 2];
        int mask = bigger.length - 1;
        for (int code = 0; code < values.size(); code++) {
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
