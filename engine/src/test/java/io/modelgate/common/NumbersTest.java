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

    @Test
    void oneDecimalWritesWhatTheFormatterWrites() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        java.util.List<Double> values = new java.util.ArrayList<>(java.util.List.of(0.0, -0.0, 0.05, 0.15, 0.25, -0.25, 2.5,
                -0.04, 0.95, 9.95, 99.95, 1e9, 123456789.25, -1e12, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_VALUE, 1.0 / 3));
        for (int i = 0; i < 200_000; i++) {
            double scale = Math.pow(10, r.nextInt(-3, 12));
            values.add(switch (i % 3) {
                case 0 -> r.nextGaussian() * scale;
                case 1 -> Math.round(r.nextGaussian() * 1000) / 100.0 + 0.05; // on or beside a half-tenth
                default -> r.nextInt(-100_000, 100_000) / 20.0;
            });
        }
        for (double v : values) {
            String expected = String.format(java.util.Locale.ROOT, "%.1f", v);
            if (!Numbers.oneDecimal(v).equals(expected)) {
                assertThat(Numbers.oneDecimal(v)).as("%s", v).isEqualTo(expected);
            }
        }
    }
}
