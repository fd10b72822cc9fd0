package io.modelgate.rollout;

import io.modelgate.common.ModelgateException.Kind;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The router's contract without a network; the proxy itself is tested in EmbeddedRouterIT. */
class EmbeddedRouterTest {
    private static final URI STABLE = URI.create("http://127.0.0.1:9/");
    private static final URI CANARY = URI.create("http://127.0.0.1:10/v2");

    @Test
    void weightsMustBeWithinZeroAndOneHundredAndAddUpToOneHundred() {
        assertThat(new Weights(90, 10)).hasToString("90/10");
        assertThat(Weights.canary(25)).isEqualTo(new Weights(75, 25));
        assertThatThrownBy(() -> new Weights(90, 20)).isInstanceOf(RolloutException.class)
                .hasMessage("weights must be between 0 and 100 and add up to 100, got stable 90 / canary 20")
                .extracting(e -> ((RolloutException) e).kind()).isEqualTo(Kind.BAD_INPUT);
        assertThatThrownBy(() -> new Weights(110, -10)).isInstanceOf(RolloutException.class);
    }

    @Test
    void startsWithAllTrafficOnTheStableVersionAndAcceptsNewWeightsBeforeStarting() {
        try (EmbeddedRouter router = new EmbeddedRouter(STABLE, CANARY)) {
            assertThat(router.weights()).isEqualTo(Weights.ALL_STABLE);
            router.setWeights(80, 20);
            assertThat(router.weights()).isEqualTo(new Weights(80, 20));
            router.setWeights(Weights.canary(50));
            assertThat(router.weights()).isEqualTo(new Weights(50, 50));
            assertThat(router.describe()).isEqualTo("embedded router (not started)");
            assertThat(router.upstream(EmbeddedTarget.STABLE)).hasToString("http://127.0.0.1:9");
        }
    }

    @Test
    void invalidWeightsLeaveTheCurrentOnesInPlace() {
        try (EmbeddedRouter router = new EmbeddedRouter(STABLE, CANARY)) {
            router.setWeights(90, 10);
            assertThatThrownBy(() -> router.setWeights(50, 60)).isInstanceOf(RolloutException.class);
            assertThat(router.weights()).isEqualTo(new Weights(90, 10));
        }
    }

    @Test
    void aRouterThatIsNotRunningCannotBeObservedOrSteered() {
        EmbeddedRouter router = new EmbeddedRouter(STABLE, CANARY);
        assertThatThrownBy(router::observe).isInstanceOf(RolloutException.class)
                .hasMessage("cannot read metrics from embedded router (not started): it is not running")
                .extracting(e -> ((RolloutException) e).kind()).isEqualTo(Kind.EXTERNAL);
        router.close();
        assertThatThrownBy(() -> router.setWeights(100, 0)).isInstanceOf(RolloutException.class)
                .hasMessageNotContaining("\n")
                .extracting(e -> ((RolloutException) e).kind()).isEqualTo(Kind.EXTERNAL);
        assertThatThrownBy(() -> router.start(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void upstreamsMustBeHttpUrls() {
        assertThatThrownBy(() -> new EmbeddedRouter(URI.create("ftp://x/"), CANARY))
                .isInstanceOf(RolloutException.class)
                .hasMessage("the stable upstream must be an http(s) URL with a host: ftp://x/");
        assertThatThrownBy(() -> new EmbeddedRouter(STABLE, URI.create("localhost:8080")))
                .isInstanceOf(RolloutException.class);
    }

    @Test
    void percentileIsNearestRankAndNaNWithoutSamples() {
        assertThat(EmbeddedRouter.percentile(new double[0], 0.5)).isNaN();
        assertThat(EmbeddedRouter.percentile(new double[] {5, 1, 3, 2, 4}, 0.5)).isEqualTo(3);
        assertThat(EmbeddedRouter.percentile(new double[] {5, 1, 3, 2, 4}, 0.99)).isEqualTo(5);
    }
}
