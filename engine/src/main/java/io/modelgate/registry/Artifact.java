package io.modelgate.registry;

/**
 * A model's artifact: where it is, and what it is (computed by the engine, never taken from the caller).
 *
 * @param uri    the location as given (a path or URI)
 * @param sha256 hex SHA-256 of the content (of a directory: of its sorted entries and their digests)
 * @param size   bytes (of a directory: of all its files)
 */
public record Artifact(String uri, String sha256, long size) {
}
