package io.modelgate.cli;

import io.modelgate.lineage.DatasetDigester;
import io.modelgate.lineage.DigestCache;
import io.modelgate.lineage.LineageException;
import io.modelgate.lineage.LineageGraph;
import io.modelgate.lineage.LineageQueries;
import io.modelgate.lineage.LineageRecord;
import io.modelgate.lineage.LineageRecording;
import io.modelgate.lineage.RunFacts;
import io.modelgate.lineage.LineageStore;
import io.modelgate.lineage.OpenLineageEmitReport;
import io.modelgate.lineage.OpenLineageEmitter;
import io.modelgate.lineage.OpenLineageTarget;
import io.modelgate.registry.RegistryAccess;
import io.modelgate.report.LineageReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = {"Record what went into a model, and trace where it came from.",
                "Data digests, code, parameters and environment, stored in the registry's Git repository; answers "
                        + "where a model came from and what a data set affects."},
        subcommands = {LineageCommand.Record.class, LineageCommand.Show.class, LineageCommand.Trace.class,
                LineageCommand.Impact.class, LineageCommand.Diff.class, LineageCommand.Flush.class})
final class LineageCommand extends CommandGroup {
    /** Where lineage is stored (the registry's repository) and where its OpenLineage events go. */
    static final class Store {
        /** The command this mixin belongs to: the way to its invocation. */
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec mixee;


        @Option(names = "--registry", paramLabel = "PATH|URL",
                description = "The registry that holds lineage: a directory or a Git URL (default: $MODELGATE_REGISTRY, "
                        + "registry.location in modelgate.yaml, else .modelgate/registry).")
        String location;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = "modelgate.yaml", hidden = true)
        Path config;

        /** The same choice of registry as the engine's use-cases take it; lineage has no actor of its own. */
        RegistryAccess access() {
            return new RegistryAccess(Optional.ofNullable(location), config, "", false);
        }

        /** For commands that only read: "no registry at PATH" (exit 2) when there is none; nothing is created. */
        LineageStore openExisting() {
            return LineageRecording.openExisting(Main.invocation(mixee).workspace(), access());
        }
    }

    static final class Emit {
        /** The command this mixin belongs to: the way to its invocation. */
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec mixee;

        @Option(names = "--openlineage-url", paramLabel = "URL", defaultValue = "",
                description = "Send OpenLineage events to this HTTP endpoint (env OPENLINEAGE_URL).")
        String url;
        @Option(names = "--openlineage-file", paramLabel = "FILE", defaultValue = "",
                description = "Append OpenLineage events to this file as newline-delimited JSON.")
        String file;
        @Option(names = "--outbox", paramLabel = "DIR", defaultValue = ".modelgate/openlineage-outbox",
                description = "Where events wait until they are sent (default: ${DEFAULT-VALUE}).")
        Path outbox;

        OpenLineageTarget target() {
            return new OpenLineageTarget(url, file, outbox);
        }

        Optional<OpenLineageEmitter> emitter() {
            return target().emitter(Main.invocation(mixee).workspace());
        }
    }

    abstract static class Sub extends CliCommand {
        @CommandLine.Mixin
        Store store;

        @Option(names = "--json", description = "Print the result as JSON (shapes in docs/lineage.md).")
        boolean json;

        private Terminal out;
        private Terminal err;

        /** Standard output: text lines are redacted and escaped there; JSON goes to {@code out().raw()}. */
        Terminal out() {
            if (out == null) {
                out = Terminal.out(spec);
            }
            return out;
        }

        Terminal err() {
            if (err == null) {
                err = Terminal.err(spec);
            }
            return err;
        }

        String toJson(Object value) {
            return new io.modelgate.lineage.LineageDocuments().of(value);
        }
    }

    @Command(name = "record", mixinStandardHelpOptions = true,
            description = "Record a run: its inputs and outputs (digested), code, parameters, metrics and environment.")
    // Named after its subcommand, "modelgate lineage record"; only ever used inside this class.
    @SuppressWarnings("JavaLangClash")
    static final class Record extends Sub {
        @Option(names = "--job", paramLabel = "NAME", defaultValue = "", description = "Job name (default: $JOB_NAME, else the directory's name).")
        String job;
        @Option(names = "--namespace", paramLabel = "NS", defaultValue = "", description = "Job namespace (default: the Jenkins instance).")
        String namespace;
        @Option(names = "--input", paramLabel = "PATH", description = "A file or directory the run read; repeat for more.")
        List<Path> inputs = new ArrayList<>();
        @Option(names = "--output", paramLabel = "PATH", description = "A file or directory the run wrote; repeat for more.")
        List<Path> outputs = new ArrayList<>();
        @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A parameter; repeat for more.")
        Map<String, String> params = new LinkedHashMap<>();
        @Option(names = "--metrics", paramLabel = "FILE", description = "A metrics file (JSON or CSV) of the run.")
        List<Path> metrics = new ArrayList<>();
        @Option(names = "--parent", paramLabel = "RECORD", description = "An upstream run's record id; repeat for more.")
        List<String> parents = new ArrayList<>();
        @Option(names = "--model", paramLabel = "NAME@VERSION", description = "A registered model version the run produced.")
        List<String> models = new ArrayList<>();
        @Option(names = "--failed", description = "The run failed (OpenLineage FAIL instead of COMPLETE).")
        boolean failed;
        @Option(names = "--started-at", paramLabel = "TIME", description = "When the run started, ISO-8601 (default: now).")
        Instant startedAt;
        @Option(names = "--work-tree", paramLabel = "DIR", defaultValue = ".",
                description = "The Git work tree whose commit and lock files are recorded (default: the current directory).")
        Path workTree;
        @Option(names = "--require-emit", description = "Exit 3 when the OpenLineage events could not be sent.")
        boolean requireEmit;
        @CommandLine.Mixin
        Emit emit;

        @Override
        public Integer call() {
            LineageRecording.Result r = LineageRecording.record(new LineageRecording.Request(
                    new RunFacts(job, namespace, inputs, outputs, params, metrics, parents, models), failed,
                    Optional.ofNullable(startedAt), workTree,
                    requireEmit, emit.target(), store.access()), Main.invocation(spec).workspace());
            LineageRecord record = r.record();
            if (json) {
                out().raw().println(toJson(record));
            } else {
                out().line("Recorded lineage " + record.id() + " of " + record.namespace() + "/" + record.job() + ": "
                        + record.inputs().size() + " input(s), " + record.outputs().size() + " output(s)"
                        + (record.code().commit().isEmpty() ? "" : ", commit " + record.code().commit().substring(0, 12)
                        + (record.code().dirty() ? " (dirty)" : ""))
                        + (record.models().isEmpty() ? "" : ", model " + String.join(", ", record.models())));
                r.emitted().filter(OpenLineageEmitReport::delivered)
                        .ifPresent(e -> out().line("Sent " + e.sent() + " OpenLineage event(s)"));
            }
            out().flush();
            r.warning().ifPresent(w -> err().line("modelgate: " + w));
            return r.exitCode();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one lineage record.")
    static final class Show extends Sub {
        @Parameters(paramLabel = "RECORD", description = "Record id or a unique prefix of at least 6 characters.")
        String id;

        @Override
        public Integer call() {
            try (LineageStore lineage = store.openExisting()) {
                LineageRecord r = lineage.find(id).orElseThrow(() -> new LineageException("unknown lineage record " + id));
                if (json) {
                    out().raw().println(toJson(r));
                } else {
                    out().line(r.id());
                    out().line("  job        " + r.namespace() + "/" + r.job() + (r.succeeded() ? "" : " (failed)"));
                    out().line("  ran        " + r.startedAt() + " .. " + r.endedAt());
                    r.inputs().forEach(d -> out().line("  input      " + d.uri() + "  sha256 " + d.sha256().substring(0, 12)
                            + "  " + d.size() + " bytes" + (d.isCsv() ? ", " + d.csvRows() + " rows" : "")));
                    r.outputs().forEach(d -> out().line("  output     " + d.uri() + "  sha256 " + d.sha256().substring(0, 12)
                            + "  " + d.size() + " bytes"));
                    r.params().forEach((k, v) -> out().line("  param      " + k + "=" + v));
                    r.metrics().forEach((k, v) -> out().line("  metric     " + k + "=" + v));
                    r.models().forEach(m -> out().line("  model      " + m));
                    r.parents().forEach(p -> out().line("  parent     " + p));
                    if (!r.code().commit().isEmpty()) {
                        out().line("  code       " + r.code().commit() + (r.code().branch().isEmpty() ? "" : " on " + r.code().branch())
                                + (r.code().remoteUrl().isEmpty() ? "" : " from " + r.code().remoteUrl())
                                + (r.code().dirty() ? " (dirty, changes " + r.code().diffSha256().substring(0, 12) + ")" : ""));
                    }
                    out().line("  runtime    Java " + r.environment().java() + ", " + r.environment().os() + ", "
                            + r.environment().cpus() + " CPUs");
                    r.environment().lockFiles().forEach((k, v) -> out().line("  lock file  " + k + " " + v.substring(0, 12)));
                    r.environment().build().forEach((k, v) -> out().line("  jenkins    " + k + "=" + v));
                }
                out().flush();
                return Main.OK;
            }
        }
    }

    abstract static class GraphSub extends Sub {
        @Option(names = {"--report-dir", "--html"}, paramLabel = "DIR", description = "Also write lineage.html (with an SVG "
                + "graph) and lineage.json to DIR, and refresh DIR/index.html.")
        Path html;

        int print(LineageGraph g, String title) {
            if (html != null) {
                Path page = LineageReport.write(g, title, html);
                (json ? err() : out()).line("Page: " + page.toUri());
            }
            if (json) {
                out().raw().println(toJson(g));
            } else {
                out().line(title + ": " + g.nodes().size() + " nodes");
                for (LineageGraph.Edge e : g.edges()) {
                    out().line("  " + label(g, e.from()) + " --" + e.relation() + "--> " + label(g, e.to()));
                }
            }
            out().flush();
            return Main.OK;
        }

        private static String label(LineageGraph g, String id) {
            return g.nodes().stream().filter(n -> n.id().equals(id)).findFirst()
                    .map(n -> n.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + n.label()
                            + (n.kind() == LineageGraph.Kind.RUN ? " [" + n.details().getOrDefault("record", "").substring(0, 10) + "]" : ""))
                    .orElse(id);
        }
    }

    @Command(name = "trace", mixinStandardHelpOptions = true,
            description = "Show where a model version or artifact came from: the runs, their data, and the runs upstream of those.")
    static final class Trace extends GraphSub {
        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--model", paramLabel = "NAME@VERSION")
            String model;
            @Option(names = "--artifact", paramLabel = "PATH")
            Path artifact;
        }

        @Override
        public Integer call() {
            Inputs.checkOutputDirectory("--report-dir", html);
            if (target.model != null && target.model.split("@", 2).length != 2) {
                throw new UsageException("--model: expected NAME@VERSION, found '" + target.model + "'");
            }
            try (LineageStore lineage = store.openExisting()) {
                LineageQueries q = new LineageQueries(lineage);
                if (target.model != null) {
                    String[] nv = target.model.split("@", 2);
                    if (nv.length != 2) {
                        throw new UsageException("--model: expected NAME@VERSION, found '" + target.model + "'");
                    }
                    return print(q.traceModel(nv[0], nv[1]), "Lineage of " + target.model);
                }
                var d = new DatasetDigester(DigestCache.load(LineageRecording.digestCache(Main.invocation(spec).workspace()))).digest(target.artifact);
                return print(q.traceDigest(d.sha256(), target.artifact.toString()), "Lineage of " + target.artifact);
            }
        }
    }

    @Command(name = "impact", mixinStandardHelpOptions = true,
            description = "Show every run and model version downstream of a data set.")
    static final class Impact extends GraphSub {
        @Option(names = "--dataset", required = true, paramLabel = "PATH|SHA256")
        String dataset;

        @Override
        public Integer call() {
            Inputs.checkOutputDirectory("--report-dir", html);
            try (LineageStore lineage = store.openExisting()) {
                String digest = dataset.matches("[0-9a-f]{64}") ? dataset
                        : new DatasetDigester(DigestCache.load(LineageRecording.digestCache(Main.invocation(spec).workspace())))
                        .digest(Main.invocation(spec).path(dataset)).sha256();
                return print(new LineageQueries(lineage).impact(digest, dataset), "Impact of " + dataset);
            }
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Show what changed between the lineage of two model versions (or two records): data, parameters, "
                    + "metrics, code, environment.")
    static final class Diff extends Sub {
        @Parameters(index = "0", paramLabel = "A", description = "NAME@VERSION or a record id.")
        String a;
        @Parameters(index = "1", paramLabel = "B")
        String b;

        @Override
        public Integer call() {
            try (LineageStore lineage = store.openExisting()) {
                LineageQueries q = new LineageQueries(lineage);
                LineageRecord ra = q.resolve(a);
                LineageRecord rb = q.resolve(b);
                var differences = LineageQueries.diff(ra, rb);
                if (json) {
                    out().raw().println(toJson(Map.of("a", ra.id(), "b", rb.id(), "differences", differences)));
                } else if (differences.isEmpty()) {
                    out().line("No differences between " + a + " and " + b);
                } else {
                    for (var d : differences) {
                        out().line("  %-11s %-30s %s -> %s", d.section(), d.key(), d.before().isEmpty() ? "(none)" : d.before(),
                                d.after().isEmpty() ? "(none)" : d.after());
                    }
                }
                out().flush();
                return Main.OK;
            }
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true,
            description = "Send the OpenLineage events still waiting in .modelgate/openlineage-outbox.")
    static final class Flush extends CliCommand {
        @CommandLine.Mixin
        Emit emit;
        @Override
        public Integer call() {
            OpenLineageEmitter emitter = emit.emitter().orElseThrow(() -> new UsageException(
                    "no OpenLineage target: give --openlineage-url (or OPENLINEAGE_URL) or --openlineage-file"));
            try (emitter) {
                OpenLineageEmitReport r = emitter.flush();
                Terminal.out(spec).line("Sent " + r.sent() + " OpenLineage event(s), " + r.pending() + " pending");
                spec.commandLine().getOut().flush();
                if (!r.delivered()) {
                    Terminal.err(spec).line("modelgate: " + r.warning().orElse("OpenLineage events not sent"));
                    return Main.EXTERNAL;
                }
                return Main.OK;
            }
        }
    }
}
