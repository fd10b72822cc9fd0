package io.modelgate.report;

import io.modelgate.gate.CheckKind;
import io.modelgate.gate.Severity;
import io.modelgate.gate.Threshold;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SvgChartTest {

    @Test
    void axisOfProbabilitiesStaysWithinZeroAndOne() {
        SvgChart.Axis axis = SvgChart.Axis.between(0.78, 0.99);

        assertThat(axis.lo()).isGreaterThanOrEqualTo(0);
        assertThat(axis.hi()).isLessThanOrEqualTo(1.0 + 1e-12);
        assertThat(axis.lo()).isLessThanOrEqualTo(0.78);
        assertThat(axis.ticks()).hasSizeBetween(3, 12);
    }

    @Test
    void axisCoversNegativeAndLargeValues() {
        SvgChart.Axis axis = SvgChart.Axis.between(-3.2, 250);

        assertThat(axis.lo()).isLessThanOrEqualTo(-3.2);
        assertThat(axis.hi()).isGreaterThanOrEqualTo(250);
        assertThat(axis.ticks()).contains(0.0, 100.0, 200.0);
    }

    @Test
    void axisOfOneValueHasWidth() {
        SvgChart.Axis zero = SvgChart.Axis.between(0, 0);
        SvgChart.Axis seven = SvgChart.Axis.between(7, 7);

        assertThat(zero.hi()).isGreaterThan(zero.lo());
        assertThat(seven.lo()).isLessThan(7);
        assertThat(seven.hi()).isGreaterThan(7);
    }

    @Test
    void axisOfExtremeValuesDoesNotBreak() {
        SvgChart.Axis axis = SvgChart.Axis.between(-Double.MAX_VALUE, Double.MAX_VALUE);

        assertThat(axis.ticks()).isNotEmpty();
        assertThat(Double.isFinite(axis.x(0))).isTrue();
    }

    @Test
    void changeThresholdIsDrawnAtBaselinePlusRequiredImprovement() {
        Threshold up = new Threshold("auc", "overall", CheckKind.ABSOLUTE_CHANGE, -0.01, true, Severity.FAIL, 0);
        Threshold down = new Threshold("rmse", "overall", CheckKind.RELATIVE_CHANGE, 0.1, false, Severity.FAIL, 0);
        Threshold value = new Threshold("rmse", "overall", CheckKind.VALUE, 4, false, Severity.FAIL, 0);

        assertThat(SvgChart.required(up, 0.8)).isCloseTo(0.79, within(1e-12));
        assertThat(SvgChart.required(down, 10)).isCloseTo(9, within(1e-12));
        assertThat(SvgChart.required(value, Double.NaN)).isEqualTo(4);
        assertThat(SvgChart.required(up, Double.NaN)).isNaN();
    }
}
