package io.modelgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Codes agree with a HashMap of Strings, for values that take the packed (up to 8 bytes) and the hashed path. */
class ByteDictionaryTest {

    @Test
    void givesEachDistinctValueOneCodeInFirstSeenOrder() {
        SplittableRandom r = new SplittableRandom(11);
        ByteDictionary d = new ByteDictionary();
        Map<String, Integer> expected = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            String v = value(r);
            byte[] line = ("xx," + v + ",yy").getBytes(StandardCharsets.UTF_8);
            int from = 3;
            int to = line.length - 3;
            int code = d.code(line, from, to);
            Integer known = expected.get(v);
            if (known == null) {
                known = order.size();
                expected.put(v, known);
                order.add(v);
            }
            assertThat(code).as("value %s", v).isEqualTo(known);
        }
        assertThat(d.values()).isEqualTo(order);
        assertThat(order.size()).as("enough values to grow both tables").isGreaterThan(3_000);
    }

    /** Packed bytes alone would make "a" and "\0a" the same key; their lengths keep them apart. */
    @Test
    void leadingZeroBytesAndEmptyValuesAreDistinct() {
        ByteDictionary d = new ByteDictionary();
        byte[] b = {0, 'a', 0, 0};
        int a = d.code(b, 1, 2);         // "a"
        int zeroA = d.code(b, 0, 2);     // "\0a"
        int empty = d.code(b, 0, 0);     // ""
        int zero = d.code(b, 2, 3);      // "\0"
        int zeroZero = d.code(b, 2, 4);  // "\0\0"
        assertThat(List.of(a, zeroA, empty, zero, zeroZero)).containsExactly(0, 1, 2, 3, 4);
        assertThat(d.code(new byte[] {'a'}, 0, 1)).isEqualTo(a);
        assertThat(d.code(new byte[] {0, 0}, 0, 2)).isEqualTo(zeroZero);
        assertThat(d.code(new byte[0], 0, 0)).isEqualTo(empty);
    }

    private static String value(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> "cat" + r.nextInt(12);                              // short, few
            case 1 -> Integer.toString(r.nextInt(5_000));                 // short, many
            case 2 -> "customer-segment-" + r.nextInt(2_000);            // long
            default -> "é" + r.nextInt(100);                              // multi-byte, 3 to 4 bytes
        };
    }
}
