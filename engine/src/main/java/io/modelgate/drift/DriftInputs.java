package io.modelgate.drift;

/**
 * Where a drift check's inputs came from.
 *
 * @param reference     the reference file (training data)
 * @param current       the current window (production data)
 * @param policy        the policy file, or {@code defaults}
 * @param referenceRows rows in the reference
 * @param currentRows   rows in the current window
 */
public record DriftInputs(String reference, String current, String policy, int referenceRows, int currentRows) {
}
