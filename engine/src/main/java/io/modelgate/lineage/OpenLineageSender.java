package io.modelgate.lineage;

import java.nio.file.Path;

/**
 * Delivers one OpenLineage event. Two implementations: an HTTP backend (Marquez or any
 * OpenLineage endpoint) and an NDJSON file.
 */
public interface OpenLineageSender extends AutoCloseable {
    /**
     * Sends one event; returns only when the receiver accepted it.
     *
     * @param eventJson the event as one line of JSON
     * @throws LineageException (EXTERNAL) when it was not accepted; the message names the
     *                          destination without credentials
     */
    void send(String eventJson);

    /** Where events go, safe to show: a URL without user name, password or key, or a file path. */
    String destination();

    @Override
    void close();

    /**
     * POSTs events to {@code <url>/api/v1/lineage} (unless the URL already ends with it).
     *
     * @param url    the backend, e.g. {@code http://marquez:5000}; user name and password in it are
     *               sent as basic authentication, never shown
     * @param apiKey sent as {@code Authorization: Bearer <apiKey>}; empty for none
     */
    static OpenLineageSender http(String url, String apiKey) {
        return new OpenLineageHttpSender(url, apiKey);
    }

    /** Appends events as lines to an NDJSON file, creating it and its folders. */
    static OpenLineageSender file(Path file) {
        return new OpenLineageFileSender(file);
    }
}
