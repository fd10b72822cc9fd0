package io.modelgate.registry;

import org.eclipse.jgit.lib.ObjectId;

/** One ref to move: {@code expected} is the zero id when the ref must not exist yet. */
record RefChange(String ref, ObjectId expected, ObjectId next) {
}
