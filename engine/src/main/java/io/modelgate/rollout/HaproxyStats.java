package io.modelgate.rollout;

import io.modelgate.common.ModelgateException.Kind;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One server's line of HAProxy's {@code show stat} CSV, reduced to what a canary analysis needs.
 * Columns are picked by their header name, so HAProxy versions that add columns read the same.
 *
 * <ul>
 *   <li>requests = {@code req_tot} (HTTP requests the server answered) + {@code econ} (requests that
 *       could not connect, after retries) + {@code eresp} (responses that failed: the server closed
 *       or timed out); in TCP mode, where {@code req_tot} is empty, {@code stot} (sessions);</li>
 *   <li>errors = {@code hrsp_5xx} + {@code econ} + {@code eresp} (at most the requests);</li>
 *   <li>{@code rtime} / {@code ttime}: average response / total time in ms over the server's last
 *       1024 requests; NaN where empty.</li>
 * </ul>
 *
 * @param backend        the backend ({@code pxname})
 * @param server         the server ({@code svname})
 * @param requests       cumulative since HAProxy started or its counters were cleared
 * @param errors         cumulative, of those requests
 * @param responseTimeMs {@code rtime}
 * @param totalTimeMs    {@code ttime}
 * @param status         {@code status}, e.g. {@code UP}, {@code MAINT}, {@code no check}
 */
record HaproxyStats(String backend, String server, long requests, long errors, double responseTimeMs,
                    double totalTimeMs, String status) {

    /** The counts of this line. */
    Counts counts() {
        return new Counts(requests, errors);
    }

    /**
     * The server lines of {@code backend} in a {@code show stat} answer, by server name.
     *
     * @throws RolloutException EXTERNAL when the text is not a {@code show stat} CSV (HAProxy's error
     *                          message then is the exception's message)
     */
    static Map<String, HaproxyStats> parse(String csv, String backend) {
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
            String said = lines.isEmpty() ? "an empty answer" : "'" + lines.get(0).strip() + "'";
            throw new RolloutException(Kind.EXTERNAL,
                    "HAProxy answered 'show stat' with " + said, null);
        }
        String[] header = lines.get(0).substring(2).split(",", -1);
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            column.putIfAbsent(header[i].strip(), i);
        }
        for (String required : List.of("pxname", "svname", "stot", "econ", "eresp", "hrsp_5xx")) {
            if (!column.containsKey(required)) {
                throw new RolloutException(Kind.EXTERNAL,
                        "HAProxy's 'show stat' has no column " + required + " (columns: "
                                + String.join(",", Arrays.asList(header)) + ")", null);
            }
        }
        Map<String, HaproxyStats> servers = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            String px = field(f, column, "pxname");
            String sv = field(f, column, "svname");
            if (!px.equals(backend) || sv.equals("BACKEND") || sv.equals("FRONTEND")) {
                continue;
            }
            long econ = number(f, column, "econ");
            long eresp = number(f, column, "eresp");
            String reqTot = field(f, column, "req_tot");
            long requests = reqTot.isEmpty() ? number(f, column, "stot") : Long.parseLong(reqTot) + econ + eresp;
            long errors = Math.min(requests, number(f, column, "hrsp_5xx") + econ + eresp);
            servers.put(sv, new HaproxyStats(px, sv, requests, errors, decimal(f, column, "rtime"),
                    decimal(f, column, "ttime"), field(f, column, "status")));
        }
        return Map.copyOf(servers);
    }

    private static String field(String[] f, Map<String, Integer> column, String name) {
        Integer i = column.get(name);
        return i == null || i >= f.length ? "" : f[i].strip();
    }

    private static long number(String[] f, Map<String, Integer> column, String name) {
        String v = field(f, column, name);
        return v.isEmpty() ? 0 : toLong(v, name);
    }

    private static double decimal(String[] f, Map<String, Integer> column, String name) {
        String v = field(f, column, name);
        return v.isEmpty() ? Double.NaN : toLong(v, name);
    }

    private static long toLong(String v, String name) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new RolloutException(Kind.EXTERNAL,
                    "HAProxy's 'show stat' has '" + v + "' in column " + name + ", expected a number", e);
        }
    }
}
