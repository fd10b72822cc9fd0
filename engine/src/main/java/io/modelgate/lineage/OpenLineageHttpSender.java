package io.modelgate.lineage;

import io.modelgate.common.ModelgateException.Kind;
import io.openlineage.client.OpenLineageClientException;
import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.HttpTransportResponseException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * POSTs events with the OpenLineage client's {@link HttpTransport}, which throws on a non-2xx
 * answer or an I/O failure (so a failed send is seen and the event stays pending).
 *
 * <p>The client has one timeout for connecting, waiting for a connection and reading the answer;
 * it is set to {@link #TIMEOUT_MILLIS}. Never print {@link HttpTransport} or {@link HttpConfig}:
 * their {@code toString} includes the API key.
 */
final class OpenLineageHttpSender implements OpenLineageSender {
    /** The OpenLineage HTTP endpoint path. */
    static final String ENDPOINT = "/api/v1/lineage";
    /** Connect and response timeout of the client's transport (it has only one). */
    static final int TIMEOUT_MILLIS = 10_000;

    private final URI endpoint;
    private final String safeEndpoint;
    private final String apiKey;
    /** Hides the key and the URL's password should a library ever echo them in an error. */
    private final io.modelgate.common.Redactor redactor;
    private final HttpTransport transport;

    OpenLineageHttpSender(String url, String apiKey) {
        URI given = parse(url);
        String path = given.getRawPath() == null ? "" : given.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.endsWith(ENDPOINT)) {
            path = path + ENDPOINT;
        }
        String authority = OpenLineageEvents.withoutUserInfo(given.getRawAuthority());
        this.endpoint = URI.create(given.getScheme() + "://" + authority + path
                + (given.getRawQuery() == null ? "" : "?" + given.getRawQuery()));
        this.safeEndpoint = given.getScheme() + "://" + authority + path;
        this.apiKey = apiKey == null ? "" : apiKey.trim();
        String rawUserInfo = given.getRawUserInfo() == null ? "" : given.getRawUserInfo();
        String password = rawUserInfo.contains(":") ? rawUserInfo.substring(rawUserInfo.indexOf(':') + 1) : "";
        this.redactor = io.modelgate.common.Redactor.of(Map.of(), this.apiKey, password,
                URLDecoder.decode(password.replace("+", "%2B"), StandardCharsets.UTF_8));

        HttpConfig config = new HttpConfig();
        config.setUrl(endpoint);
        config.setTimeoutInMillis(TIMEOUT_MILLIS);
        if (!this.apiKey.isEmpty()) {
            ApiKeyTokenProvider auth = new ApiKeyTokenProvider();
            auth.setApiKey(this.apiKey);
            config.setAuth(auth);
        } else if (given.getRawUserInfo() != null) {
            String userInfo = URLDecoder.decode(given.getRawUserInfo(), StandardCharsets.UTF_8);
            config.setHeaders(Map.of("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8))));
        }
        this.transport = new HttpTransport(config);
    }

    private static URI parse(String url) {
        String given = url == null ? "" : url.trim();
        String shown = io.modelgate.common.Redactor.url(given);
        try {
            URI uri = new URI(given);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new URISyntaxException(shown, "not http(s)");
            }
            return uri;
        } catch (URISyntaxException e) {
            // A password pasted with its '@' makes the host unreadable; say so rather than "not a URL".
            String authority = given.replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "").replaceFirst("[/?#].*$", "");
            boolean rawAt = authority.indexOf('@') != authority.lastIndexOf('@');
            throw new LineageException("the OpenLineage URL " + shown + " is not an http:// or https:// URL such as "
                    + "http://marquez:5000" + (rawAt ? " (a user name or password in it must be percent-encoded: '@' as %40,"
                    + " ':' as %3A)" : ""));
        }
    }

    @Override
    public void send(String eventJson) {
        io.openlineage.client.OpenLineage.RunEvent event = OpenLineageEvents.fromJson(eventJson);
        try {
            transport.emit(event);
        } catch (HttpTransportResponseException e) {
            throw new LineageException(Kind.EXTERNAL, "OpenLineage endpoint " + safeEndpoint + " answered HTTP "
                    + e.getStatusCode(), null);
        } catch (OpenLineageClientException | IllegalStateException e) {
            throw new LineageException(Kind.EXTERNAL, "cannot send OpenLineage event to " + safeEndpoint + ": "
                    + reason(e), null);
        }
    }

    /** The root cause in one line, with the API key masked should a library ever echo it. */
    private String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = redactor.redact(OpenLineageEvents.firstLine(root.getMessage()));
        return root.getClass().getSimpleName() + (message.isEmpty() ? "" : " " + message);
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public String destination() {
        return safeEndpoint;
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (java.io.IOException e) {
            // closing idle connections; nothing is lost
        }
    }
}
