package io.modelgate.rollout;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedSplitterTest {

    private static Map<EmbeddedTarget, Integer> pick(EmbeddedSplitter splitter, int n) {
        Map<EmbeddedTarget, Integer> counts = new EnumMap<>(EmbeddedTarget.class);
        counts.put(EmbeddedTarget.STABLE, 0);
        counts.put(EmbeddedTarget.CANARY, 0);
        for (int i = 0; i < n; i++) {
            counts.merge(splitter.pick(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void everyRunOfOneHundredPicksMatchesTheWeightsExactly() {
        EmbeddedSplitter splitter = new EmbeddedSplitter(new Weights(90, 10));
        for (int run = 0; run < 5; run++) {
            assertThat(pick(splitter, 100)).containsEntry(EmbeddedTarget.STABLE, 90).containsEntry(EmbeddedTarget.CANARY, 10);
        }
        splitter.set(new Weights(67, 33));
        assertThat(pick(splitter, 100)).containsEntry(EmbeddedTarget.CANARY, 33);
    }

    @Test
    void aSmallCanaryIsSpreadEvenlyNotInBursts() {
        EmbeddedSplitter splitter = new EmbeddedSplitter(new Weights(90, 10));
        for (int run = 0; run < 20; run++) {
            assertThat(pick(splitter, 10)).containsEntry(EmbeddedTarget.CANARY, 1);
        }
    }

    @Test
    void aTargetWithWeightZeroIsNeverPicked() {
        EmbeddedSplitter splitter = new EmbeddedSplitter(new Weights(50, 50));
        pick(splitter, 7);
        splitter.set(Weights.ALL_STABLE);
        assertThat(pick(splitter, 1000)).containsEntry(EmbeddedTarget.CANARY, 0);
        splitter.set(new Weights(0, 100));
        assertThat(pick(splitter, 1000)).containsEntry(EmbeddedTarget.STABLE, 0);
    }

    @Test
    void concurrentPicksStillAddUpToTheWeights() throws Exception {
        EmbeddedSplitter splitter = new EmbeddedSplitter(new Weights(75, 25));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Map<EmbeddedTarget, Integer>>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> pick(splitter, 10_000)));
            }
            int canary = 0;
            for (Future<Map<EmbeddedTarget, Integer>> f : futures) {
                canary += f.get().get(EmbeddedTarget.CANARY);
            }
            assertThat(canary).isEqualTo(20_000);
        } finally {
            pool.shutdownNow();
        }
    }
}
