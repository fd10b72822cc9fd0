package io.modelgate.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The registry's answers as JSON documents, the shapes documented in docs/registry.md that the
 * Jenkins steps read.
 */
public final class RegistryDocuments {
    private final RegistryJson json = new RegistryJson();

    public String outcome(Registry.Outcome outcome) {
        return pretty(outcomeDocument(outcome));
    }

    /** {@link #outcome}'s document as a tree, for documents that hold it (a verdict recorded in the registry). */
    public ObjectNode outcomeDocument(Registry.Outcome outcome) {
        ObjectNode o = json.mapper().createObjectNode();
        Decision d = outcome.decision();
        if (d instanceof Decision.Change c) {
            o.put("status", "applied");
            o.put("message", c.event().describe());
            o.set("event", json.mapper().valueToTree(c.event()));
            o.set("versions", json.mapper().valueToTree(c.versions()));
            o.put("commit", outcome.commit());
        } else if (d instanceof Decision.Refusal r) {
            o.put("status", "refused");
            o.put("message", "refused: " + r.request());
            ArrayNode unmet = o.putArray("unmet");
            r.unmet().forEach(unmet::add);
        } else if (d instanceof Decision.Unchanged u) {
            o.put("status", "unchanged");
            o.put("message", u.message());
        }
        o.set("state", json.mapper().valueToTree(outcome.state()));
        if (!outcome.hookProblems().isEmpty()) {
            ArrayNode hooks = o.putArray("hook_problems");
            outcome.hookProblems().forEach(hooks::add);
        }
        return o;
    }

    public String of(Object value) {
        return new String(json.write(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    public String history(String model, List<AuditEntry> entries) {
        ObjectNode o = json.mapper().createObjectNode();
        o.put("model", model);
        o.set("events", json.mapper().valueToTree(entries));
        return pretty(o);
    }

    /** One page of {@link Registry#list}: the versions, how many match in all, and where the page starts. */
    public String page(Registry.Page page, int offset, int limit) {
        ObjectNode o = json.mapper().createObjectNode();
        o.put("total", page.total());
        o.put("offset", offset);
        o.put("limit", limit);
        o.set("versions", json.mapper().valueToTree(page.versions()));
        return pretty(o);
    }

    private String pretty(ObjectNode o) {
        try {
            return json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
