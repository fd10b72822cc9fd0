package io.modelgate.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Lineage answers as JSON, in the shape the store keeps (documented in docs/lineage.md). */
public final class LineageDocuments {
    private final ObjectMapper mapper = LineageStore.mapper();

    public String of(Object value) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
