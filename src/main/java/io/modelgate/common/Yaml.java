package io.modelgate.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reading the YAML files users write (policies, plans, configuration): the same one-line errors
 * for each, naming the file and the line, in the caller's exception type so it gets the right exit code.
 */
public final class Yaml {
    private Yaml() {
    }

    /** The text of {@code file}; a missing or unreadable file is {@code error}'s one line. */
    public static String read(Path file, Function<String, ? extends ModelgateException> error) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw error.apply(file + ": no such file");
        } catch (IOException e) {
            throw error.apply(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * The document in {@code yaml} (null for an empty one). A duplicated key is an error, not a silent
     * overwrite: in a policy it would drop a threshold.
     */
    public static JsonNode parse(String source, String yaml, Function<String, ? extends ModelgateException> error) {
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
