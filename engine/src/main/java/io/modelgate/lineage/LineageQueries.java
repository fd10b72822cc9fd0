package io.modelgate.lineage;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The questions lineage answers, each a walk over the store's indexes that touches only the
 * records on the way: where a model came from (trace), what a data set affects (impact), and what
 * changed between two models (diff).
 */
public final class LineageQueries {
    private static final int MAX_NODES = 10_000;
    private final LineageStore store;

    public LineageQueries(LineageStore store) {
        this.store = store;
    }

    /** Upstream of a model version: the runs that produced it, their inputs, the runs that produced those... */
    public LineageGraph traceModel(String model, String version) {
        String root = "model:" + model + "@" + version;
        Builder g = new Builder(root);
        g.node(root, LineageGraph.Kind.MODEL, model + "@" + version, Map.of());
        List<String> runs = store.producersOfModel(model, version);
        if (runs.isEmpty()) {
            throw new LineageException("no lineage recorded for " + model + "@" + version
                    + "; record it with lineage record --model " + model + "@" + version);
        }
        return upstream(g, root, runs, "produced");
    }

    /** Upstream of a data set or artifact, by its digest. */
    public LineageGraph traceDigest(String digest, String label) {
        String root = "dataset:" + digest;
        Builder g = new Builder(root);
        g.node(root, LineageGraph.Kind.DATASET, label, Map.of("sha256", digest));
        List<String> runs = store.producersOf(digest);
        if (runs.isEmpty()) {
            throw new LineageException("no recorded run wrote " + label + " (sha256 " + digest.substring(0, 12) + ")");
        }
        return upstream(g, root, runs, "output");
    }

    /** The graph upstream of {@code root}, which {@code runs} wrote ({@code edge} names how). */
    private LineageGraph upstream(Builder g, String root, List<String> runs, String edge) {
        Deque<String> todo = new ArrayDeque<>();
        for (String run : runs) {
            g.edge("run:" + run, root, edge);
            todo.add(run);
        }
        walk(g, todo, (id, r) -> {
            for (Dataset d : r.inputs()) {
                g.dataset(d);
                g.edge("dataset:" + d.sha256(), "run:" + id, "input");
                for (String producer : store.producersOf(d.sha256())) {
                    g.edge("run:" + producer, "dataset:" + d.sha256(), "output");
                    todo.add(producer);
                }
            }
            for (String parent : r.parents()) {
                g.edge("run:" + parent, "run:" + id, "parent");
                todo.add(parent);
            }
        });
        return g.build();
    }

    /**
     * Visits the runs in {@code todo} breadth first, each once, until none is left or the graph is
     * full; {@code visit} adds a run's edges and queues the runs it leads to.
     */
    private void walk(Builder g, Deque<String> todo, BiConsumer<String, LineageRecord> visit) {
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty() && g.size() < MAX_NODES) {
            String id = todo.poll();
            if (!seen.add(id)) {
                continue;
            }
            LineageRecord r = store.get(id);
            g.run(r);
            visit.accept(id, r);
        }
    }

    /** Downstream of a data set: every run that read it, what they wrote, who read that, and the model versions. */
    public LineageGraph impact(String digest, String label) {
        String root = "dataset:" + digest;
        Builder g = new Builder(root);
        g.node(root, LineageGraph.Kind.DATASET, label, Map.of("sha256", digest));
        Deque<String> todo = new ArrayDeque<>();
        for (String run : store.consumersOf(digest)) {
            g.edge(root, "run:" + run, "input");
            todo.add(run);
        }
        walk(g, todo, (id, r) -> {
            for (Dataset d : r.outputs()) {
                g.dataset(d);
                g.edge("run:" + id, "dataset:" + d.sha256(), "output");
                for (String consumer : store.consumersOf(d.sha256())) {
                    g.edge("dataset:" + d.sha256(), "run:" + consumer, "input");
                    todo.add(consumer);
                }
            }
            for (String m : r.models()) {
                g.node("model:" + m, LineageGraph.Kind.MODEL, m, Map.of());
                g.edge("run:" + id, "model:" + m, "produced");
            }
            for (String child : store.childrenOf(id)) {
                g.edge("run:" + id, "run:" + child, "parent");
                todo.add(child);
            }
        });
        return g.build();
    }

    /**
     * The run behind a reference: {@code NAME@VERSION} (the newest run that produced that version)
     * or a record id (or a unique prefix of one).
     */
    public LineageRecord resolve(String reference) {
        if (reference.contains("@")) {
            String[] nv = reference.split("@", 2);
            return store.producersOfModel(nv[0], nv[1]).stream().map(store::get)
                    .max(java.util.Comparator.comparing(LineageRecord::endedAt))
                    .orElseThrow(() -> new LineageException("no lineage recorded for " + reference));
        }
        return store.find(reference).orElseThrow(() -> new LineageException("unknown lineage record " + reference));
    }

    /**
     * One difference between two runs.
     *
     * @param section {@code input}, {@code output}, {@code param}, {@code metric}, {@code code} or {@code environment}
     * @param key     what differs (a path, a parameter name, {@code commit}...)
     * @param before  its value in A ("" when absent)
     * @param after   its value in B ("" when absent)
     */
    public record Difference(String section, String key, String before, String after) {
    }

    /** What changed from run {@code a} to run {@code b}: data digests, parameters, metrics, code, environment. */
    public static List<Difference> diff(LineageRecord a, LineageRecord b) {
        List<Difference> out = new ArrayList<>();
        compare(out, "input", datasets(a.inputs()), datasets(b.inputs()));
        compare(out, "output", datasets(a.outputs()), datasets(b.outputs()));
        compare(out, "param", a.params(), b.params());
        compare(out, "metric", strings(a.metrics()), strings(b.metrics()));
        compare(out, "code", code(a.code()), code(b.code()));
        compare(out, "environment", environment(a.environment()), environment(b.environment()));
        return out;
    }

    private static Map<String, String> datasets(List<Dataset> ds) {
        Map<String, String> m = new TreeMap<>();
        for (Dataset d : ds) {
            m.put(d.uri(), d.sha256());
        }
        return m;
    }

    private static Map<String, String> strings(Map<String, Double> m) {
        Map<String, String> s = new TreeMap<>();
        m.forEach((k, v) -> s.put(k, io.modelgate.common.Numbers.format(v)));
        return s;
    }

    private static Map<String, String> code(CodeVersion c) {
        Map<String, String> m = new TreeMap<>();
        m.put("commit", c.commit());
        m.put("branch", c.branch());
        m.put("remote", c.remoteUrl());
        m.put("dirty", c.dirty() ? "yes (changes " + c.diffSha256().substring(0, Math.min(12, c.diffSha256().length())) + ")" : "no");
        return m;
    }

    private static Map<String, String> environment(RunEnvironment e) {
        Map<String, String> m = new TreeMap<>();
        m.put("java", e.java());
        m.put("os", e.os());
        m.put("cpus", Integer.toString(e.cpus()));
        e.lockFiles().forEach((k, v) -> m.put("lock file " + k, v));
        return m;
    }

    private static void compare(List<Difference> out, String section, Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            String x = a.getOrDefault(k, "");
            String y = b.getOrDefault(k, "");
            if (!Objects.equals(x, y)) {
                out.add(new Difference(section, k, x, y));
            }
        }
    }

    private static final class Builder {
        private final String root;
        private final Map<String, LineageGraph.Node> nodes = new LinkedHashMap<>();
        private final Set<LineageGraph.Edge> edges = new LinkedHashSet<>();

        Builder(String root) {
            this.root = root;
        }

        int size() {
            return nodes.size();
        }

        void node(String id, LineageGraph.Kind kind, String label, Map<String, String> details) {
            nodes.putIfAbsent(id, new LineageGraph.Node(id, kind, label, details));
        }

        void run(LineageRecord r) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("record", r.id());
            d.put("ended", r.endedAt().toString());
            if (!r.code().commit().isEmpty()) {
                d.put("commit", r.code().commit().substring(0, Math.min(12, r.code().commit().length()))
                        + (r.code().dirty() ? " (dirty)" : ""));
            }
            if (!r.environment().build().isEmpty() && r.environment().build().containsKey("BUILD_URL")) {
                d.put("build", r.environment().build().get("BUILD_URL"));
            }
            node("run:" + r.id(), LineageGraph.Kind.RUN, r.job(), d);
        }

        void dataset(Dataset ds) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("uri", ds.uri());
            d.put("sha256", ds.sha256());
            d.put("size", Long.toString(ds.size()));
            if (ds.files() > 1) {
                d.put("files", Long.toString(ds.files()));
            }
            if (ds.isCsv()) {
                d.put("rows", Long.toString(ds.csvRows()));
            }
            Path name = Path.of(ds.uri()).getFileName();
            node("dataset:" + ds.sha256(), LineageGraph.Kind.DATASET, name == null ? ds.uri() : name.toString(), d);
        }

        void edge(String from, String to, String relation) {
            edges.add(new LineageGraph.Edge(from, to, relation));
        }

        LineageGraph build() {
            return new LineageGraph(root, new ArrayList<>(nodes.values()), new ArrayList<>(edges));
        }
    }
}
