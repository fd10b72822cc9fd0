package io.modelgate.registry;

import java.time.Instant;

/** A mark on a version that was rolled back (or rejected by a canary), with the reason. */
public record Rejection(String reason, String by, Instant at) {
}
