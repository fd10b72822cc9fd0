package io.modelgate.gate;

/**
 * What a check's decision rests on: how many rows, the sampling interval of the value and of the
 * change, and the test that decided it. Fields are NaN (or -1, or empty) where they do not apply:
 * a metrics file that gives no interval, a value check (no change), a point-mode check (no test).
 *
 * @param n            rows the candidate's value rests on; -1 when unknown
 * @param ciLow        the candidate value's interval at the check's confidence
 * @param ciHigh       its upper end
 * @param method       how the interval was computed ({@code delong}, {@code wilson}, ...); empty when none
 * @param baselineN    rows the baseline's value rests on; -1 when unknown or no baseline
 * @param changeLow    the interval of the change the check compares (absolute or relative improvement)
 * @param changeHigh   its upper end
 * @param changeMethod {@code unpaired} (independent samples) or the paired method's name; empty when none
 * @param pValue       one-sided p-value of "the value (or change) meets the bound"; NaN in point mode
 * @param level        the p-value below which the check fails, after any slice correction; NaN in point mode
 * @param confidence   the check's confidence; NaN in point mode
 */
public record Evidence(long n, double ciLow, double ciHigh, String method, long baselineN, double changeLow,
                       double changeHigh, String changeMethod, double pValue, double level, double confidence) {
    /** Nothing known beyond the point values. */
    public static final Evidence NONE = new Evidence(-1, Double.NaN, Double.NaN, "", -1, Double.NaN, Double.NaN, "",
            Double.NaN, Double.NaN, Double.NaN);

    /** Whether a test at some level decided the check (rather than the point value). */
    public boolean tested() {
        return !Double.isNaN(pValue);
    }

    Evidence tested(double p, double atLevel, double atConfidence) {
        return new Evidence(n, ciLow, ciHigh, method, baselineN, changeLow, changeHigh, changeMethod, p, atLevel,
                atConfidence);
    }

    Evidence withBaselineRows(long rows) {
        return new Evidence(n, ciLow, ciHigh, method, rows, changeLow, changeHigh, changeMethod, pValue, level,
                confidence);
    }

    Evidence withLevel(double newLevel) {
        return new Evidence(n, ciLow, ciHigh, method, baselineN, changeLow, changeHigh, changeMethod, pValue, newLevel,
                confidence);
    }
}
