package io.modelgate.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This build's version, e.g. 0.1.0-SNAPSHOT, as Maven wrote it into the jar. */
public final class ModelgateVersion {
    private ModelgateVersion() {
    }

    /** The version, or "unknown" when the jar was not built by Maven (classes run from an IDE). */
    public static String current() {
        Properties p = new Properties();
        try (InputStream in = ModelgateVersion.class.getResourceAsStream("/io/modelgate/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
