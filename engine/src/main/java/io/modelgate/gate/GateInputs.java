package io.modelgate.gate;

/**
 * Where a verdict's inputs came from, for reports.
 *
 * @param policy    the policy file
 * @param candidate the candidate's metrics or predictions file
 * @param baseline  the baseline's file, or empty when there was none
 */
public record GateInputs(String policy, String candidate, String baseline) {
}
