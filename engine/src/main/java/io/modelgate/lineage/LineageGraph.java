package io.modelgate.lineage;

import java.util.List;
import java.util.Map;

/**
 * An answer to trace or impact: runs, data sets and model versions, and how they connect.
 *
 * @param root  the node asked about
 * @param nodes every node reached, root first
 * @param edges every connection, in the direction data flowed
 */
public record LineageGraph(String root, List<Node> nodes, List<Edge> edges) {
    public LineageGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** What a node stands for. */
    public enum Kind { RUN, DATASET, MODEL }

    /**
     * @param id      {@code run:<record id>}, {@code dataset:<sha256>} or {@code model:<name@version>}
     * @param kind    its kind
     * @param label   a short name for people (job name, file name, model reference)
     * @param details facts shown with it (time, digest, size, commit)
     */
    public record Node(String id, Kind kind, String label, Map<String, String> details) {
        public Node {
            details = Map.copyOf(details);
        }
    }

    /**
     * @param from     upstream node
     * @param to       downstream node
     * @param relation {@code input} (data set read by a run), {@code output} (written by it),
     *                 {@code produced} (run produced a model version), {@code parent} (run continues a run)
     */
    public record Edge(String from, String to, String relation) {
    }
}
