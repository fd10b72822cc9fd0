package io.modelgate.lineage;

import io.modelgate.common.ModelgateException.Kind;
import io.modelgate.common.Redactor;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent;
import io.openlineage.client.OpenLineageClientUtils;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link LineageRecord} into OpenLineage run events: START at {@code startedAt}, then
 * COMPLETE or FAIL at {@code endedAt}. Pure: the same record always gives the same events.
 */
public final class OpenLineageEvents {
    /** Job type facet values: a batch job run by Jenkins. */
    static final String PROCESSING_TYPE = "BATCH";
    static final String INTEGRATION = "JENKINS";
    static final String JOB_TYPE = "JOB";

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):.*", Pattern.DOTALL);
    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[a-zA-Z]:[\\\\/].*");
    private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/\\s]+@)?([^:/\\s]+):(?!//)(.+)$");
    /** Blob stores whose name is an object key (no leading slash), per the OpenLineage naming spec. */
    private static final Set<String> OBJECT_STORES = Set.of("s3", "s3a", "s3n", "gs", "wasbs", "abfs", "abfss");
    /** Schemes whose authority's "user@" part is a container name, not a credential. */
    private static final Set<String> CONTAINER_AUTHORITY = Set.of("wasbs", "abfs", "abfss");

    private OpenLineageEvents() {
    }

    /**
     * The run events of one record, in the order they must be sent.
     *
     * @param record       the record
     * @param producer     URI of the producing software, e.g. {@code https://github.com/modelgate/modelgate/tree/v0.1.0}
     * @param parentLookup finds a record by id; the first parent it finds becomes the parent run facet
     * @return START, then COMPLETE (succeeded) or FAIL
     * @throws LineageException when the run id is not a UUID or the producer is not a URI
     */
    public static List<RunEvent> events(LineageRecord record, String producer,
                                        Function<String, Optional<LineageRecord>> parentLookup) {
        URI producerUri = producerUri(producer);
        OpenLineage ol = new OpenLineage(producerUri);
        UUID runId = uuid(record.runId(), "run id of record " + record.id());

        OpenLineage.RunFacetsBuilder runFacets = ol.newRunFacetsBuilder();
        parent(ol, record, parentLookup).ifPresent(runFacets::parent);
        runFacets.put(OpenLineageFacets.PARAMS, new OpenLineageFacets.ParamsRunFacet(producerUri, params(record)));
        runFacets.put(OpenLineageFacets.METRICS, new OpenLineageFacets.MetricsRunFacet(producerUri, record.metrics()));
        runFacets.put(OpenLineageFacets.MODEL, modelFacet(producerUri, record));
        OpenLineage.Run run = ol.newRunBuilder().runId(runId).facets(runFacets.build()).build();

        OpenLineage.JobFacetsBuilder jobFacets = ol.newJobFacetsBuilder()
                .jobType(ol.newJobTypeJobFacetBuilder()
                        .processingType(PROCESSING_TYPE).integration(INTEGRATION).jobType(JOB_TYPE).build());
        sourceCodeLocation(ol, record.code()).ifPresent(jobFacets::sourceCodeLocation);
        OpenLineage.Job job = ol.newJobBuilder()
                .namespace(Redactor.url(record.namespace())).name(Redactor.url(record.job())).facets(jobFacets.build()).build();

        List<OpenLineage.InputDataset> inputs = new ArrayList<>();
        for (Dataset d : record.inputs()) {
            DatasetName name = datasetName(d.uri());
            inputs.add(ol.newInputDatasetBuilder().namespace(name.namespace()).name(name.name())
                    .facets(datasetFacets(ol, producerUri, d)).build());
        }
        List<OpenLineage.OutputDataset> outputs = new ArrayList<>();
        for (Dataset d : record.outputs()) {
            DatasetName name = datasetName(d.uri());
            outputs.add(ol.newOutputDatasetBuilder().namespace(name.namespace()).name(name.name())
                    .facets(datasetFacets(ol, producerUri, d)).build());
        }

        RunEvent start = ol.newRunEventBuilder()
                .eventType(RunEvent.EventType.START).eventTime(utc(record.startedAt()))
                .run(run).job(job).inputs(inputs).outputs(outputs).build();
        RunEvent end = ol.newRunEventBuilder()
                .eventType(record.succeeded() ? RunEvent.EventType.COMPLETE : RunEvent.EventType.FAIL)
                .eventTime(utc(record.endedAt()))
                .run(run).job(job).inputs(inputs).outputs(outputs).build();
        return List.of(start, end);
    }

    /** One event as one line of JSON, written by the OpenLineage client's own serialiser. */
    public static String toJsonLine(RunEvent event) {
        return OpenLineageClientUtils.toJson(event).replace("\n", "").replace("\r", "");
    }

    /**
     * Reads an event back from its JSON.
     *
     * @throws LineageException when the text is not an OpenLineage run event
     */
    public static RunEvent fromJson(String json) {
        try {
            return OpenLineageClientUtils.runEventFromJson(json);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new LineageException(Kind.BAD_INPUT, "not an OpenLineage run event: "
                    + firstLine(e.getMessage()), e);
        }
    }

    /**
     * The record's parameters as they are sent: the recorder stores them redacted, and a record made
     * by an older Modelgate passes through the same redactor here (URL credentials and tokens; a
     * parameter with a secret's name keeps its name only).
     */
    private static Map<String, String> params(LineageRecord record) {
        Map<String, String> out = new java.util.TreeMap<>();
        record.params().forEach((k, v) -> out.put(k, Redactor.isSecretName(k) ? Redactor.MASK : Redactor.redactUrls(v)));
        return out;
    }

    /** A dataset's OpenLineage identity. */
    record DatasetName(String namespace, String name) {
    }

    /**
     * Names a data set as the OpenLineage naming spec says: a local path is namespace {@code file}
     * and name the absolute path; a URI with a scheme is namespace {@code scheme://authority} and
     * name its path (an object key without the leading slash for blob stores). Credentials in the
     * authority are dropped.
     */
    static DatasetName datasetName(String uri) {
        Matcher m = SCHEME.matcher(uri);
        if (!m.matches() || WINDOWS_DRIVE.matcher(uri).matches()) {
            return new DatasetName("file", uri);
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return new DatasetName("file", uri);
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        String path = parsed.getPath() == null || parsed.getPath().isEmpty() ? "/" : parsed.getPath();
        String authority = parsed.getRawAuthority();
        if (scheme.equals("file")) {
            String host = parsed.getHost();
            return new DatasetName(host == null || host.isEmpty() || host.equals("localhost") ? "file" : "file://" + host,
                    path);
        }
        if (authority == null) {
            return new DatasetName(scheme, parsed.getSchemeSpecificPart());
        }
        if (!CONTAINER_AUTHORITY.contains(scheme)) {
            authority = withoutUserInfo(authority);
        }
        String name = OBJECT_STORES.contains(scheme) && path.startsWith("/") && path.length() > 1
                ? path.substring(1) : path;
        return new DatasetName(scheme + "://" + authority, name);
    }

    /**
     * A repository URL with no user name, password, token, query or fragment, or empty when it
     * cannot be read as a URL. {@code git@host:org/repo.git} becomes {@code ssh://host/org/repo.git}.
     */
    static Optional<URI> safeRepositoryUri(String url) {
        String trimmed = url.trim();
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        if (!SCHEME.matcher(trimmed).matches() || trimmed.matches("^[^:/]+@[^:/]+:.*")) {
            Matcher scp = SCP_LIKE.matcher(trimmed);
            if (!scp.matches()) {
                return Optional.empty();
            }
            String path = scp.group(2).startsWith("/") ? scp.group(2) : "/" + scp.group(2);
            trimmed = "ssh://" + scp.group(1) + path;
        }
        try {
            URI u = new URI(trimmed);
            if (u.getScheme() == null || u.getRawAuthority() == null) {
                return Optional.empty();
            }
            return Optional.of(new URI(u.getScheme(), withoutUserInfo(u.getRawAuthority()), u.getPath(), null, null));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** {@code user:secret@host:port} to {@code host:port}. */
    static String withoutUserInfo(String authority) {
        int at = authority.lastIndexOf('@');
        return at < 0 ? authority : authority.substring(at + 1);
    }

    private static Optional<OpenLineage.ParentRunFacet> parent(OpenLineage ol, LineageRecord record,
                                                              Function<String, Optional<LineageRecord>> lookup) {
        for (String parentId : record.parents()) {
            Optional<LineageRecord> parent = lookup.apply(parentId);
            if (parent.isPresent()) {
                LineageRecord p = parent.get();
                return Optional.of(ol.newParentRunFacetBuilder()
                        .run(ol.newParentRunFacetRunBuilder().runId(uuid(p.runId(), "run id of parent record " + p.id())).build())
                        .job(ol.newParentRunFacetJobBuilder().namespace(p.namespace()).name(p.job()).build())
                        .build());
            }
        }
        return Optional.empty();
    }

    private static Optional<OpenLineage.SourceCodeLocationJobFacet> sourceCodeLocation(OpenLineage ol, CodeVersion code) {
        Optional<URI> url = safeRepositoryUri(code.remoteUrl());
        if (url.isEmpty()) {
            return Optional.empty();
        }
        OpenLineage.SourceCodeLocationJobFacetBuilder b = ol.newSourceCodeLocationJobFacetBuilder()
                .type("git").url(url.get()).repoUrl(url.get().toString());
        if (!code.commit().isEmpty()) {
            b.version(code.commit());
        }
        if (!code.branch().isEmpty()) {
            b.branch(code.branch());
        }
        return Optional.of(b.build());
    }

    private static OpenLineageFacets.ModelRunFacet modelFacet(URI producer, LineageRecord record) {
        List<Map<String, String>> models = new ArrayList<>();
        for (String ref : record.models()) {
            int at = ref.lastIndexOf('@');
            models.add(at <= 0
                    ? Map.of("ref", ref)
                    : Map.of("ref", ref, "name", ref.substring(0, at), "version", ref.substring(at + 1)));
        }
        List<Map<String, String>> artifacts = new ArrayList<>();
        for (Dataset d : record.outputs()) {
            artifacts.add(Map.of("uri", datasetUri(d.uri()), "sha256", d.sha256()));
        }
        return new OpenLineageFacets.ModelRunFacet(producer, record.id(), models, artifacts);
    }

    /** A data set's URI as written into events: as given, but without credentials. */
    private static String datasetUri(String uri) {
        DatasetName n = datasetName(uri);
        if (n.namespace().equals("file")) {
            return n.name();
        }
        return n.namespace().contains("://") ? n.namespace() + (n.name().startsWith("/") ? "" : "/") + n.name()
                : n.namespace() + ":" + n.name();
    }

    private static OpenLineage.DatasetFacets datasetFacets(OpenLineage ol, URI producer, Dataset d) {
        OpenLineage.DatasetFacetsBuilder facets = ol.newDatasetFacetsBuilder();
        facets.put(OpenLineageFacets.DIGEST, new OpenLineageFacets.DigestDatasetFacet(producer, d.sha256(), d.size(), d.files()));
        if (d.isCsv() && !d.csvHeader().isEmpty()) {
            List<OpenLineage.SchemaDatasetFacetFields> fields = new ArrayList<>();
            for (String column : d.csvHeader()) {
                fields.add(ol.newSchemaDatasetFacetFieldsBuilder().name(column).type("string").build());
            }
            facets.schema(ol.newSchemaDatasetFacetBuilder().fields(fields).build());
        }
        return facets.build();
    }

    private static ZonedDateTime utc(Instant instant) {
        return ZonedDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static UUID uuid(String value, String what) {
        try {
            UUID uuid = UUID.fromString(value);
            if (!uuid.toString().equalsIgnoreCase(value)) {
                throw new IllegalArgumentException(value);
            }
            return uuid;
        } catch (IllegalArgumentException e) {
            throw new LineageException("the " + what + " is '" + value
                    + "', not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) as OpenLineage requires");
        }
    }

    private static URI producerUri(String producer) {
        try {
            URI uri = new URI(producer);
            if (uri.getScheme() == null) {
                throw new URISyntaxException(producer, "no scheme");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new LineageException("the OpenLineage producer '" + producer
                    + "' is not an absolute URI such as https://github.com/modelgate/modelgate");
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
