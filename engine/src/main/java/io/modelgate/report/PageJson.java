package io.modelgate.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelgate.common.RecordJson;

/**
 * The small JSON file written next to a page ({@code lineage.json}, {@code registry.json},
 * {@code canary.json}): {@code schema}, {@code title}, {@code status}, a one-line {@code summary},
 * then the same document the command prints with {@code --json}. The index page reads only the first
 * four, so it never has to understand a page's data to describe it.
 */
final class PageJson {
    private final ObjectMapper mapper = RecordJson.mapper();

    /** A document; {@code status} may be empty, and is then written as {@code null}. */
    String render(String schema, String title, String status, String summary, String dataField, JsonNode data) {
        return render(schema, title, status, summary, java.util.Map.of(dataField, data));
    }

    /** A document with several data fields, in the order of {@code data}'s iteration. */
    String render(String schema, String title, String status, String summary, java.util.Map<String, JsonNode> data) {
        ObjectNode o = mapper.createObjectNode();
        o.put("schema", schema);
        o.put("title", Text.oneLine(title));
        if (status.isEmpty()) {
            o.putNull("status");
        } else {
            o.put("status", status);
        }
        o.put("summary", Text.oneLine(summary));
        data.forEach(o::set);
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(Text.redact(o)) + "\n";
        } catch (JsonProcessingException e) {
            // A tree of plain nodes always serialises.
            throw new IllegalStateException("cannot render " + schema, e);
        }
    }

    /** {@code value} as the engine's JSON (snake_case, ISO-8601 times), as {@code --json} prints records. */
    JsonNode tree(Object value) {
        return mapper.valueToTree(value);
    }

    /** A JSON text another package rendered (its documented shape), as a tree to embed. */
    JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Modelgate document did not parse as JSON", e);
        }
    }
}
