package io.modelgate.rollout;

/** A judge's call on the canary at one analysis. */
public enum JudgeOutcome {
    /** Good enough so far: go on to the next step. */
    PASS,
    /** Clearly better or equal, with enough evidence to finish early (sequential judge). */
    SUCCESS,
    /** Clearly worse: roll back. */
    FAIL,
    /** Not enough or unusable data (no requests, empty query, NaN, zero baseline): the plan decides. */
    INCONCLUSIVE
}
