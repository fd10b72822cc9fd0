package io.modelgate.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reading the YAML files users write (policies, plans, configuration): the same one-line errors
 * for each, naming the file and the line, in the caller's exception type so it gets the right exit code.
 */
public final class Yaml {
    /**
     * The longest YAML text read, in characters. The largest policy or plan anyone writes is a few
     * kilobytes; SnakeYAML's own limit (3 M code points) is only met after scanning all of it, which
     * for one 3.5 MB scalar takes seconds on a busy machine, so a larger text is refused before parsing.
     */
    public static final int MAX_CHARS = 1 << 20;

    private Yaml() {
    }

    /**
     * The text of {@code file}, read by {@link InputFiles#text}: a missing or unreadable file, one that
     * is not a regular file (a FIFO is refused, not waited on), too large or not UTF-8 is {@code error}'s
     * one line; a byte order mark is dropped.
     */
    public static String read(Path file, Function<String, ? extends ModelgateException> error) {
        return InputFiles.text(file, error);
    }

    /**
     * The document in {@code yaml}: a mapping, or null for an empty one. A duplicated key is an error,
     * not a silent overwrite (in a policy it would drop a threshold); so are a document that is a list
     * or a scalar, and anchors and aliases ({@code &a}, {@code *a}): no Modelgate file needs them, and
     * nine nested aliases of nine items each stand for 3.9 billion nodes.
     */
    public static JsonNode parse(String source, String yaml, Function<String, ? extends ModelgateException> error) {
        if (yaml.startsWith("\uFEFF")) {
            yaml = yaml.substring(1); // a byte order mark, as some Windows editors write
        }
        if (yaml.length() > MAX_CHARS) {
            throw error.apply(source + ": is " + yaml.length() + " characters long; a YAML file Modelgate reads is at most "
                    + (MAX_CHARS >> 20) + " MB (policies and plans are a few kilobytes)");
        }
        YAMLFactory factory = new YAMLFactory();
        try {
            try (YAMLParser p = factory.createParser(yaml)) {
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (p.isCurrentAlias() || p.getObjectId() != null) {
                        var loc = p.currentTokenLocation();
                        throw error.apply(source + " line " + loc.getLineNr() + ", column " + loc.getColumnNr()
                                + ": YAML anchors and aliases (&name, *name) are not supported; write the value out");
                    }
                }
            }
            JsonNode root = new ObjectMapper(factory).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(yaml);
            if (root != null && !root.isNull() && !root.isMissingNode() && !root.isObject()) {
                throw error.apply(source + ": expected a mapping of keys (key: value), found "
                        + (root.isArray() ? "a list" : "a single value"));
            }
            return root == null || root.isNull() || root.isMissingNode() ? null : root;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw error.apply(source + where + ": not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (java.io.IOException e) {
            throw error.apply(source + ": not valid YAML: " + e.getMessage());
        }
    }
}
