package io.modelgate.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A judge's call with what it is based on, for the progress line and the report.
 *
 * @param judge      the judge's name ({@code threshold}, {@code mann-whitney}, {@code sequential})
 * @param outcome    its call
 * @param statistic  the statistic's name ({@code p}, {@code likelihood ratio}, {@code error rate})
 * @param value      the statistic's value (NaN when not computed)
 * @param reason     one sentence a person can act on
 * @param comparison the two distributions side by side, for the report (the shadow mode's predictions), or
 *                   null when the judge compares no distribution
 */
public record Judgement(String judge, JudgeOutcome outcome, String statistic, double value, String reason,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Comparison comparison) {

    /** Without a distribution. */
    public Judgement(String judge, JudgeOutcome outcome, String statistic, double value, String reason) {
        this(judge, outcome, statistic, value, reason, null);
    }

    /**
     * Two distributions over the same bins.
     *
     * @param what   what was binned, e.g. "predictions of 1,200 mirrored requests"
     * @param bins   each bin's label, e.g. {@code < 0.12}, {@code 0.12 to 0.31}, {@code >= 0.88}
     * @param stable the stable version's share in each bin (adding up to 1)
     * @param canary the canary's share in each bin
     */
    public record Comparison(String what, List<String> bins, List<Double> stable, List<Double> canary) {
        public Comparison {
            bins = List.copyOf(bins);
            stable = List.copyOf(stable);
            canary = List.copyOf(canary);
            if (stable.size() != bins.size() || canary.size() != bins.size()) {
                throw new IllegalArgumentException("a comparison has one share per bin and version");
            }
        }
    }
}
