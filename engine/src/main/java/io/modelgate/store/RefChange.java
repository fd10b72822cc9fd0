package io.modelgate.store;

import org.eclipse.jgit.lib.ObjectId;

/** One ref to move: {@code expected} is the zero id when the ref must not exist yet. */
public record RefChange(String ref, ObjectId expected, ObjectId next) {
}
