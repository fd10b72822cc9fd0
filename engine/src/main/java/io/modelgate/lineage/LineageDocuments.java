package io.modelgate.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Lineage answers as JSON, in the shape the store keeps (documented in docs/lineage.md). */
public final class LineageDocuments {
    private final ObjectMapper mapper = LineageStore.mapper();

    /** {@link #of}'s document as a tree. */
    public com.fasterxml.jackson.databind.JsonNode tree(Object value) {
        return mapper.valueToTree(value);
    }

    public String of(Object value) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
