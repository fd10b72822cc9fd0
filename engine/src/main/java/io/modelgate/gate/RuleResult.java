package io.modelgate.gate;

/**
 * The result of one threshold on one slice: what was measured, against what, and why it passed or not.
 *
 * @param threshold the policy's check
 * @param slice     the slice checked ({@code overall} for all examples)
 * @param value     the candidate's value; NaN when missing or undefined (the message says which)
 * @param baseline  the baseline's value; NaN when there is none
 * @param change    for change checks the measured improvement (absolute or relative); NaN otherwise
 * @param outcome   PASS, WARN, FAIL or SKIPPED
 * @param message   one sentence a person can act on, naming metric, slice, value, baseline and bound
 */
public record RuleResult(Threshold threshold, String slice, double value, double baseline, double change,
                         Outcome outcome, String message) {

    public String metric() {
        return threshold.metric();
    }

    /** A stable name for this check, used as the JUnit test case name: {@code roc_auc[region=eu] >= 0.8}. */
    public String name() {
        return threshold.metric() + "[" + slice + "] " + threshold.describe();
    }
}
