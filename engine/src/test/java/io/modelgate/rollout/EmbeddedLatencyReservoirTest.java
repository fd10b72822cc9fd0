package io.modelgate.rollout;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EmbeddedLatencyReservoirTest {

    @Test
    void keepsEveryLatencyWhileUnderCapacity() {
        EmbeddedLatencyReservoir r = new EmbeddedLatencyReservoir(10, 1);
        r.record(1.5);
        r.record(2.5);
        assertThat(r.snapshot()).containsExactly(1.5, 2.5);
    }

    @Test
    void staysBoundedAndKeepsAUniformSampleBeyondCapacity() {
        EmbeddedLatencyReservoir r = new EmbeddedLatencyReservoir(1_000, 7);
        for (int i = 0; i < 100_000; i++) {
            r.record(i);
        }
        double[] sample = r.snapshot();
        assertThat(sample).hasSize(1_000);
        assertThat(r.seen()).isEqualTo(100_000);
        // a uniform sample of 0..99,999 has a mean near 50,000 (standard error ~ 900)
        assertThat(Arrays.stream(sample).average().orElseThrow()).isCloseTo(50_000, within(4_000.0));
    }

    @Test
    void clearStartsANewInterval() {
        EmbeddedLatencyReservoir r = new EmbeddedLatencyReservoir(3, 1);
        for (int i = 0; i < 10; i++) {
            r.record(i);
        }
        r.clear();
        assertThat(r.snapshot()).isEmpty();
        r.record(42);
        assertThat(r.snapshot()).containsExactly(42.0);
    }
}
