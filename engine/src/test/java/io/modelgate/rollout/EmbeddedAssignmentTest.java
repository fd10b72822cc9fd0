package io.modelgate.rollout;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A/B assignment: sticky per client, monotone in the canary's share, and the share it is asked for. */
class EmbeddedAssignmentTest {
    @Test
    void everyClientHasOneSideAndTheCanarysShareOfClientsIsItsWeight() {
        for (int weight : new int[] {1, 10, 25, 50, 90}) {
            int onCanary = 0;
            for (int u = 0; u < 20_000; u++) {
                EmbeddedTarget side = EmbeddedAssignment.side("user-" + u, Weights.canary(weight));
                assertThat(EmbeddedAssignment.side("user-" + u, Weights.canary(weight))).isEqualTo(side);
                onCanary += side == EmbeddedTarget.CANARY ? 1 : 0;
            }
            // binomial standard deviation at 20,000 clients is at most 0.35 percentage points
            assertThat(onCanary / 200.0).as("weight %d", weight).isBetween(weight - 1.5, weight + 1.5);
        }
    }

    @Test
    void aClientOnTheCanaryStaysOnItWhenItsShareGrows() {
        int[] weights = {0, 10, 25, 50, 100};
        for (int u = 0; u < 5_000; u++) {
            boolean wasCanary = false;
            for (int w : weights) {
                boolean canary = EmbeddedAssignment.side("u" + u, Weights.canary(w)) == EmbeddedTarget.CANARY;
                assertThat(!wasCanary || canary).as("u%d at %d%%", u, w).isTrue();
                wasCanary = canary;
            }
            assertThat(wasCanary).isTrue();
        }
    }

    @Test
    void aRequestWithoutAKeyGoesToTheStableVersionWhateverTheWeights() {
        assertThat(EmbeddedAssignment.side("", Weights.canary(99))).isEqualTo(EmbeddedTarget.STABLE);
    }

    @Test
    void theBucketOfAKeyIsFixedAcrossProcessesAndRuns() {
        // a changed hash would move every client to another side on the next router restart
        assertThat(EmbeddedAssignment.bucket("alice")).isEqualTo(EmbeddedAssignment.bucket("alice"));
        assertThat(EmbeddedAssignment.bucket("alice")).isBetween(0, EmbeddedAssignment.BUCKETS - 1);
        assertThat(List.of(EmbeddedAssignment.bucket("alice"), EmbeddedAssignment.bucket("bob"),
                EmbeddedAssignment.bucket("carol"))).doesNotHaveDuplicates();
    }

    @Test
    void theCookieIsFoundAmongOthersAndQuotesAreTakenOff() {
        assertThat(EmbeddedAssignment.cookie(List.of("a=1; uid=abc; b=2"), "uid")).isEqualTo("abc");
        assertThat(EmbeddedAssignment.cookie(List.of("a=1", "uid=\"q r\""), "uid")).isEqualTo("q r");
        assertThat(EmbeddedAssignment.cookie(List.of("xuid=1; uidx=2"), "uid")).isEmpty();
        assertThat(EmbeddedAssignment.cookie(List.of(), "uid")).isEmpty();
    }
}
