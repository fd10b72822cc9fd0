package io.modelgate.rollout;

import java.util.Locale;

/** The two upstreams of the {@link EmbeddedRouter}. */
public enum EmbeddedTarget {
    STABLE, CANARY;

    /** {@code stable} or {@code canary}: the value of the {@code X-Modelgate-Target} header. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
