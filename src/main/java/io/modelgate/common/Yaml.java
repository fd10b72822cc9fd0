package io.modelgate.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reading the YAML files users write (policies, plans, configuration): the same one-line errors
 * for each, naming the file and the line, in the caller's exception type so it gets the right exit code.
 */
public final class Yaml {
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
     * The document in {@code yaml} (null for an empty one). A duplicated key is an error, not a silent
     * overwrite: in a policy it would drop a threshold.
     */
    public static JsonNode parse(String source, String yaml, Function<String, ? extends ModelgateException> error) {
        if (yaml.startsWith("\uFEFF")) {
            yaml = yaml.substring(1); // a byte order mark, as some Windows editors write
        }
        try {
            return new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(yaml);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw error.apply(source + where + ": not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }
}
