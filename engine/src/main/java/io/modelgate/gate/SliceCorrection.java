package io.modelgate.gate;

/**
 * How the significance-aware checks of slices share one error rate: with hundreds of slices, each
 * check at its own level would fail a few of them on noise alone.
 */
public enum SliceCorrection {
    /** Holm-Bonferroni: the chance that any slice check fails by chance is at most the level. */
    HOLM,
    /** Benjamini-Hochberg: of the slice checks that fail, at most that share fail by chance (on average). */
    BH,
    /** Each slice check at its own level. */
    NONE
}
