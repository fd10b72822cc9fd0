package io.modelgate.metrics;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SlicesTest {
    @Test
    void columnsWithEqualsSignsCannotCollideWithValuesThatHaveThem() {
        assertThat(Slices.key("a", "b=c")).isEqualTo("a=b=c");
        assertThat(Slices.key("a=b", "c")).isEqualTo("a\\=b=c");
        assertThat(Slices.key("a", "b=c")).isNotEqualTo(Slices.key("a=b", "c"));
        assertThat(Slices.column("a\\=b=c")).isEqualTo("a=b");
        assertThat(Slices.value("a\\=b=c")).isEqualTo("c");
        assertThat(Slices.column("a=b=c")).isEqualTo("a");
        assertThat(Slices.value("a=b=c")).isEqualTo("b=c");
        assertThat(Slices.key("region", "eu")).as("plain names are unchanged").isEqualTo("region=eu");
    }

    /** Any column and value survive the trip through a key, and different pairs give different keys. */
    @RepeatedTest(20)
    void keysAreInjective() {
        Random random = new Random();
        String alphabet = "ab=\\\\=";
        for (int i = 0; i < 2_000; i++) {
            String column = draw(random, alphabet);
            String value = draw(random, alphabet);
            String key = Slices.key(column, value);
            assertThat(Slices.column(key)).as("column of %s", key).isEqualTo(column);
            assertThat(Slices.value(key)).as("value of %s", key).isEqualTo(value);
        }
    }

    private static String draw(Random random, String alphabet) {
        int n = 1 + random.nextInt(5);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
