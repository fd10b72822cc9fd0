package io.modelgate.rollout;

/**
 * A judge's call with what it is based on, for the progress line and the report.
 *
 * @param judge     the judge's name ({@code threshold}, {@code mann-whitney}, {@code sequential})
 * @param outcome   its call
 * @param statistic the statistic's name ({@code p}, {@code likelihood ratio}, {@code error rate})
 * @param value     the statistic's value (NaN when not computed)
 * @param reason    one sentence a person can act on
 */
public record Judgement(String judge, JudgeOutcome outcome, String statistic, double value, String reason) {
}
