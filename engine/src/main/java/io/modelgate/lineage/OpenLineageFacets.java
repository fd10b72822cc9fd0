package io.modelgate.lineage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.openlineage.client.OpenLineage;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Modelgate's custom OpenLineage facets. Each carries {@code _producer} and a {@code _schemaURL}
 * that points at its JSON schema in this repository ({@code docs/openlineage/<Facet>.json}).
 * The classes are public because the OpenLineage serialiser reads them by reflection.
 */
public final class OpenLineageFacets {
    /** Where the facet schemas are published: the {@code docs/openlineage/} folder of the repository. */
    public static final String SCHEMA_BASE = "https://github.com/modelgate/modelgate/blob/main/docs/openlineage/";

    /** Run facet key of {@link ParamsRunFacet}. */
    public static final String PARAMS = "modelgate_params";
    /** Run facet key of {@link MetricsRunFacet}. */
    public static final String METRICS = "modelgate_metrics";
    /** Run facet key of {@link ModelRunFacet}. */
    public static final String MODEL = "modelgate_model";
    /** Dataset facet key of {@link DigestDatasetFacet}. */
    public static final String DIGEST = "modelgate_digest";

    private OpenLineageFacets() {
    }

    static URI schemaUrl(String facet) {
        return URI.create(SCHEMA_BASE + facet + ".json#/$defs/" + facet);
    }

    /** {@code modelgate_params}: the run's parameters, as given. */
    @JsonPropertyOrder({"_producer", "_schemaURL", "params"})
    public static final class ParamsRunFacet extends OpenLineage.DefaultRunFacet {
        private final Map<String, String> params;

        ParamsRunFacet(URI producer, Map<String, String> params) {
            super(producer);
            this.params = Map.copyOf(params);
        }

        @Override
        public URI get_schemaURL() {
            return schemaUrl("ModelgateParamsRunFacet");
        }

        public Map<String, String> getParams() {
            return new java.util.TreeMap<>(params);
        }
    }

    /**
     * {@code modelgate_metrics}: the run's metrics. JSON has no NaN or infinity; such values are
     * written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}.
     */
    @JsonPropertyOrder({"_producer", "_schemaURL", "metrics"})
    public static final class MetricsRunFacet extends OpenLineage.DefaultRunFacet {
        private final Map<String, Object> metrics;

        MetricsRunFacet(URI producer, Map<String, Double> metrics) {
            super(producer);
            Map<String, Object> values = new LinkedHashMap<>();
            new java.util.TreeMap<>(metrics).forEach((name, value) ->
                    values.put(name, Double.isFinite(value) ? (Object) value : (Object) String.valueOf(value)));
            this.metrics = java.util.Collections.unmodifiableMap(values);
        }

        @Override
        public URI get_schemaURL() {
            return schemaUrl("ModelgateMetricsRunFacet");
        }

        public Map<String, Object> getMetrics() {
            return metrics;
        }
    }

    /** {@code modelgate_model}: the model versions a run produced and the digests of what it wrote. */
    @JsonPropertyOrder({"_producer", "_schemaURL", "recordId", "models", "artifacts"})
    public static final class ModelRunFacet extends OpenLineage.DefaultRunFacet {
        private final String recordId;
        private final List<Map<String, String>> models;
        private final List<Map<String, String>> artifacts;

        ModelRunFacet(URI producer, String recordId, List<Map<String, String>> models,
                      List<Map<String, String>> artifacts) {
            super(producer);
            this.recordId = recordId;
            this.models = List.copyOf(models);
            this.artifacts = List.copyOf(artifacts);
        }

        @Override
        public URI get_schemaURL() {
            return schemaUrl("ModelgateModelRunFacet");
        }

        /** The Modelgate lineage record the events were made from. */
        public String getRecordId() {
            return recordId;
        }

        /** Each {@code {"name", "version", "ref"}} where ref is NAME@VERSION. */
        public List<Map<String, String>> getModels() {
            return models;
        }

        /** Each output as {@code {"uri", "sha256"}}. */
        public List<Map<String, String>> getArtifacts() {
            return artifacts;
        }
    }

    /** {@code modelgate_digest}: a data set's content digest, as Modelgate computed it. */
    @JsonPropertyOrder({"_producer", "_schemaURL", "sha256", "size", "files"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class DigestDatasetFacet extends OpenLineage.DefaultDatasetFacet {
        private final String sha256;
        private final long size;
        private final long files;

        DigestDatasetFacet(URI producer, String sha256, long size, long files) {
            super(producer, null);
            this.sha256 = sha256;
            this.size = size;
            this.files = files;
        }

        @Override
        public URI get_schemaURL() {
            return schemaUrl("ModelgateDigestDatasetFacet");
        }

        public String getSha256() {
            return sha256;
        }

        public long getSize() {
            return size;
        }

        public long getFiles() {
            return files;
        }
    }
}
