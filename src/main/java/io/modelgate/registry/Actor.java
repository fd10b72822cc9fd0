package io.modelgate.registry;

import java.time.Instant;

/**
 * Who makes a change, from which build, and when: the audit fields of every event.
 */
public record Actor(String name, BuildInfo build, Instant at) {
}
