package io.modelgate.registry;

import java.time.Instant;

/**
 * A mark on a version that was rolled back, rejected by a canary or by hand, with the reason. It
 * stands until someone overrides it, by name and with a reason of their own: a new gate verdict on
 * the same artifact does not clear it, because the gate already passed the version once and
 * production then showed what the gate could not.
 *
 * @param override who set the mark aside and why, or null while it stands
 */
public record Rejection(String reason, String by, Instant at, Override override) {
    public Rejection(String reason, String by, Instant at) {
        this(reason, by, at, null);
    }

    /** Whether the mark still keeps the version out of stages and canaries. */
    public boolean standing() {
        return override == null;
    }

    Rejection overridden(Override o) {
        return new Rejection(reason, by, at, o);
    }

    /** An audited decision to let a rejected version be promoted or canaried again. */
    // The registry's word for it (docs/registry.md); always written Rejection.Override outside this file.
    @SuppressWarnings("JavaLangClash")
    public record Override(String reason, String by, Instant at) {
    }
}
