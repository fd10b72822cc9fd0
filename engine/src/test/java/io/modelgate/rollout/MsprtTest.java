package io.modelgate.rollout;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MsprtTest {
    @Test
    void likelihoodRatioMatchesAHandComputedCase() {
        // stable 10/1000, canary 30/1000: d = 0.02, pooled p = 0.02, v = 0.02 * 0.98 * (2/1000) = 3.92e-5,
        // tau2 = 1e-4: sqrt(3.92e-5 / 1.392e-4) = 0.530669..., exponent = 1e-4 * 4e-4 / (2 * 3.92e-5 * 1.392e-4)
        // = 3.665219..., L = 0.530669 * e^3.665219 = 20.7312 (also computed in Python: 20.731239279167564).
        assertThat(Msprt.likelihoodRatio(0.02, 3.92e-5, 1e-4)).isCloseTo(20.731239279167564, within(1e-9));
    }

    @Test
    void harmRatioDoublesTheRatioTimesTheNormalProbabilityOfTheSign() {
        // z = d * tau / sqrt(v (v + tau2)) = 2e-4 / sqrt(3.92e-5 * 1.392e-4) = 2.707493; 2 * Phi(z) = 1.993221;
        // 20.731239 * 1.993221 = 41.3219 (scipy.stats.norm.cdf: 41.32193423584281).
        assertThat(Msprt.harmLikelihoodRatio(0.02, 3.92e-5, 1e-4)).isCloseTo(41.32193423584281, within(1e-7));
    }

    @Test
    void ratioIsBelowOneWithoutADifferenceAndGrowsWithIt() {
        double none = Msprt.likelihoodRatio(0, 1e-5, 1e-4);
        assertThat(none).isCloseTo(Math.sqrt(1e-5 / 1.1e-4), within(1e-12));
        assertThat(Msprt.likelihoodRatio(0.01, 1e-5, 1e-4)).isGreaterThan(Msprt.likelihoodRatio(0.005, 1e-5, 1e-4));
        assertThat(Msprt.likelihoodRatio(-0.01, 1e-5, 1e-4)).isEqualTo(Msprt.likelihoodRatio(0.01, 1e-5, 1e-4));
    }

    @Test
    void harmRatioVanishesForAClearImprovement() {
        // the mixture over harmful differences only: far below 1, and smaller the clearer the improvement
        assertThat(Msprt.harmLikelihoodRatio(-0.05, 1e-5, 1e-4)).isLessThan(0.02);
        assertThat(Msprt.harmLikelihoodRatio(-0.1, 1e-5, 1e-4)).isLessThan(Msprt.harmLikelihoodRatio(-0.05, 1e-5, 1e-4));
        assertThat(Msprt.harmLikelihoodRatio(-1, 1e-7, 1e-4)).isNotNaN().isLessThan(1e-3);
    }

    @Test
    void ratioIsNaNWithoutAPositiveVariance() {
        assertThat(Msprt.likelihoodRatio(0.01, 0, 1e-4)).isNaN();
        assertThat(Msprt.harmLikelihoodRatio(Double.NaN, 1e-5, 1e-4)).isNaN();
    }

    @Test
    void ratioOverflowsToInfinityRatherThanNaN() {
        assertThat(Msprt.likelihoodRatio(0.5, 1e-6, 1e-4)).isInfinite();
        assertThat(Msprt.harmLikelihoodRatio(0.5, 1e-6, 1e-4)).isInfinite();
    }
}
