package io.modelgate.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The registry's stored JSON ({@link io.modelgate.common.RecordJson}); one mapper per registry.
 */
final class RegistryJson {
    private final ObjectMapper mapper = io.modelgate.common.RecordJson.mapper();

    byte[] write(Object value) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    String writeLine(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    <T> T read(byte[] bytes, Class<T> type, String where) {
        try {
            return mapper.readValue(bytes, type);
        } catch (java.io.IOException e) {
            throw new RegistryException(where + ": unreadable registry record: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    <T> T read(String text, Class<T> type, String where) {
        return read(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), type, where);
    }

    /** The SHA-256 of a verdict record as stored, which its attach-verdict event records. */
    String digest(VerdictRecord verdict) {
        return io.modelgate.common.Digests.sha256(writeLine(verdict).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    ObjectMapper mapper() {
        return mapper;
    }
}
