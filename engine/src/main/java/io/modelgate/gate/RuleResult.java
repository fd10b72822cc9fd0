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
 * @param message   one sentence a person can act on, naming metric, slice, value, baseline, bound and n
 * @param evidence  the rows, intervals and test behind the decision
 */
public record RuleResult(Threshold threshold, String slice, double value, double baseline, double change,
                         Outcome outcome, String message, Evidence evidence) {

    public RuleResult(Threshold threshold, String slice, double value, double baseline, double change,
                      Outcome outcome, String message) {
        this(threshold, slice, value, baseline, change, outcome, message, Evidence.NONE);
    }

    public String metric() {
        return threshold.metric();
    }

    /**
     * A stable name for this check, used as the JUnit test case name: {@code roc_auc[region=eu] threshold}.
     * It holds no bound, so retuning a threshold keeps the check's history in Jenkins.
     */
    public String name() {
        return threshold.metric() + "[" + slice + "] " + threshold.kind().policyKey();
    }
}
