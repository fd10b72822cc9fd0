package io.modelgate.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NumbersTest {
    @Test
    void shortNumbersAreShownExactlyAndLongOnesToFourSignificantDigits() {
        assertThat(Numbers.format(0.805)).isEqualTo("0.805");
        assertThat(Numbers.format(0.80055)).isEqualTo("0.80055");
        assertThat(Numbers.format(0.371951219512)).isEqualTo("0.372");
        assertThat(Numbers.format(0.8 - 0.75)).isEqualTo("0.05");
        assertThat(Numbers.format(0.9123456)).isEqualTo("0.9123");
        assertThat(Numbers.format(123456.789)).isEqualTo("123500");
    }

    @Test
    void wholeNumbersAndSpecialValues() {
        assertThat(Numbers.format(10000)).isEqualTo("10000");
        assertThat(Numbers.format(-3)).isEqualTo("-3");
        assertThat(Numbers.format(Double.NaN)).isEqualTo("NaN");
        assertThat(Numbers.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(Numbers.format(1e-9)).isEqualTo("1E-9");
    }

    @Test
    void signedShowsAPlusForImprovements() {
        assertThat(Numbers.signed(0.012)).isEqualTo("+0.012");
        assertThat(Numbers.signed(-0.3)).isEqualTo("-0.3");
        assertThat(Numbers.signed(0)).isEqualTo("0");
    }
}
