package io.modelgate.rollout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A paused rollout resumed: its step, its bake time and its judges' evidence go on where they were. */
class RolloutResumeTest {
    @TempDir
    Path dir;

    /**
     * Each target serves 100 requests (1 error) between two looks, counted from the last reset: what a
     * real source does, without the network, so the counts the judges see are known exactly.
     */
    private static final class CountingRouter implements TrafficRouter, MetricsProvider {
        private Weights weights = Weights.ALL_STABLE;
        private long looks;

        @Override
        public void setWeights(int stablePercent, int canaryPercent) {
            weights = new Weights(stablePercent, canaryPercent);
        }

        @Override
        public Weights weights() {
            return weights;
        }

        @Override
        public String describe() {
            return "counting router";
        }

        @Override
        public void close() {
        }

        @Override
        public Observations observe() {
            looks++;
            return new Observations(new Counts(100 * looks, looks), new Counts(100 * looks, looks), new double[0],
                    new double[0], Map.of());
        }

        @Override
        public void reset() {
            looks = 0;
        }
    }

    /** Every analysis is inconclusive (a query that returns nothing) and pauses, so each run makes exactly one. */
    private static final RolloutPlan PLAN = PlanReader.parse("plan.yaml", """
            stable: http://127.0.0.1:1
            canary: http://127.0.0.1:2
            metrics: {provider: prometheus, url: 'http://127.0.0.1:3', queries: {gpu_ms: 'gpu{t="{{target}}"}'}}
            steps: [{weight: 20, bake: 1h, min_requests: 0}, 100]
            analysis: {interval: 10ms, judge: sequential, inconclusive: pause, thresholds: {gpu_ms: {max: 5}}}
            """);

    private static RolloutState run(StateFile state, List<String> lines) {
        CountingRouter router = new CountingRouter();
        return new Rollout(PLAN, router, router, Judges.forPlan(PLAN), state, RolloutOutcomes.NONE, lines::add).run();
    }

    @Test
    void aResumedRolloutGoesOnWithItsStepItsBakeAndItsEvidence() {
        StateFile state = new StateFile(dir, "resume");
        RolloutState paused = run(state, new ArrayList<>());
        assertThat(paused.phase()).isEqualTo(RolloutState.Phase.PAUSED);
        assertThat(paused.intervals()).singleElement().satisfies(i -> assertThat(i.canary().requests()).isEqualTo(200));
        assertThat(paused.looks()).extracting(l -> l.canary().requests()).containsExactly(100L, 200L);

        List<String> lines = new ArrayList<>();
        RolloutState again = run(state, lines);
        assertThat(again.phase()).isEqualTo(RolloutState.Phase.PAUSED);
        assertThat(lines).contains("going on with step 1 and its evidence: 200 stable and 200 canary requests so far");
        // the source counted from zero again; the judges saw the counts since the rollout began
        assertThat(again.intervals()).hasSize(2);
        assertThat(again.intervals().get(1).canary()).isEqualTo(new Counts(400, 4));
        assertThat(again.looks()).extracting(l -> l.canary().requests()).containsExactly(100L, 200L, 300L, 400L);
        assertThat(again.intervals().get(1).judgements()).anySatisfy(j -> assertThat(j.judge()).isNotEqualTo("threshold"));
        assertThat(again.stepStartedAt()).as("the step's bake goes on, it does not start again").isEqualTo(paused.stepStartedAt());
        assertThat(again.runId()).isEqualTo(paused.runId());
    }
}
