package io.modelgate.cli;

import io.modelgate.registry.Actor;
import io.modelgate.registry.AuditEntry;
import io.modelgate.registry.Decision;
import io.modelgate.registry.ModelState;
import io.modelgate.registry.ModelVersion;
import io.modelgate.registry.Registry;
import io.modelgate.registry.RegistryDocuments;
import io.modelgate.registry.RegistryEvent;
import io.modelgate.registry.VerifyReport;
import io.modelgate.report.RegistryReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Command(name = "registry", mixinStandardHelpOptions = true,
        description = {"Keep model versions, stages and aliases, with promotion rules and an audit trail.",
                "Stored in a Git repository (default .modelgate/registry) or any Git remote; every change is a "
                        + "commit, and the history is complete and tamper-evident."})
final class RegistryCommand extends CommandGroup {
    /**
     * The subcommands, in the order help lists them; only the one a command line names is built
     * ({@link Main#subcommandsFor}): picocli reads every option of every command it is given, and
     * building all of these took a sixth of {@code registry resolve}'s start-up.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(Register.class, ListModels.class, Show.class, Resolve.class,
            Promote.class, Rollback.class, Alias.class, Tag.class, Describe.class, History.class, Verify.class,
            Fetch.class, Deprecate.class, Deregister.class, ImportGto.class, ImportMlflow.class, Configure.class);

    /** Where the registry is and who is acting; shared by every registry command and by validate. */
    static final class RegistryOptions {
        /** The command this mixin belongs to: the way to its invocation. */
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec mixee;

        @Option(names = "--registry", paramLabel = "PATH|URL",
                description = "Registry: a directory or a Git URL (default: $MODELGATE_REGISTRY, registry.location "
                        + "in modelgate.yaml, else .modelgate/registry).")
        String location;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = "modelgate.yaml",
                description = "Configuration with a registry: section (default: ${DEFAULT-VALUE}, if present).")
        Path config;

        @Option(names = "--actor", paramLabel = "WHO", defaultValue = "",
                description = "Who makes the change (default: $MODELGATE_ACTOR, $BUILD_USER_ID, else the OS user).")
        String actor;

        @Option(names = "--gto-tags", description = "Also write DVC GTO's tags (name@vX.Y.Z, name#stage#N), as "
                + "registry.gto_tags: true does.")
        boolean gtoTags;

        /** The same choice of registry and actor as the engine's use-cases take it. */
        io.modelgate.registry.RegistryAccess access() {
            return new io.modelgate.registry.RegistryAccess(Optional.ofNullable(location), config, actor, gtoTags);
        }

        /** The registry for a command that changes it: created by its first change. */
        Registry open() {
            return access().open(Main.invocation(mixee).workspace());
        }

        /**
         * The registry for a command that only reads: "no registry at PATH" (exit 2) when there is
         * none, and nothing is created, neither a registry nor a directory.
         */
        Registry openExisting() {
            return access().openExisting(Main.invocation(mixee).workspace());
        }

        /** Fetches the registry's remote, following and recording rewritten histories ({@code registry fetch}). */
        Registry.AcceptedRewrite acceptRewrite(String reason) {
            io.modelgate.common.Workspace ws = Main.invocation(mixee).workspace();
            io.modelgate.registry.RegistryAccess a = access();
            return Registry.acceptRewrite(a.where(ws), a.cache(ws), a.settings(ws), a.credentials(ws), reason, actor());
        }

        Actor actor() {
            return access().actor(Main.invocation(mixee).workspace());
        }
    }

    abstract static class Sub extends CliCommand {
        @CommandLine.Mixin
        RegistryOptions registry;

        @Option(names = "--json", description = "Print the result as JSON (shapes in docs/registry.md).")
        boolean json;

        final RegistryDocuments documents = new RegistryDocuments();

        private Terminal terminal;

        /** Standard output: text lines are redacted and escaped there; JSON goes to {@code out().raw()}. */
        Terminal out() {
            if (terminal == null) {
                terminal = Terminal.out(spec);
            }
            return terminal;
        }

        @Override
        public Integer call() {
            checkArguments();
            if (!readOnly()) {
                registry.actor(); // a bad --actor (or MODELGATE_ACTOR) is refused before anything is opened
            }
            try (Registry r = readOnly() ? registry.openExisting() : registry.open()) {
                int code = run(r);
                out().flush();
                return code;
            }
        }

        /** Whether the command only reads: then a missing registry is an error, never created. */
        boolean readOnly() {
            return false;
        }

        /** Checks what can be checked without the registry, before it is opened: nothing is written on bad input. */
        void checkArguments() {
        }

        abstract int run(Registry r);

        int report(Registry.Outcome outcome) {
            if (json) {
                out().raw().println(documents.outcome(outcome));
            } else {
                Decision d = outcome.decision();
                if (d instanceof Decision.Change c) {
                    out().line(capitalise(c.event().describe()) + " [" + outcome.commit().substring(0, 8) + "]");
                } else if (d instanceof Decision.Refusal refusal) {
                    out().line("Refused: " + refusal.request());
                    refusal.unmet().forEach(u -> out().line("  - " + u));
                } else if (d instanceof Decision.Unchanged u) {
                    out().line("Nothing to do: " + u.message());
                }
                // The change stands; a hook that could not be told is said, on standard error.
                outcome.hookProblems().forEach(p -> Terminal.err(spec).line("Hook not delivered: " + p));
            }
            return outcome.refused() ? Main.FAILED : Main.OK;
        }
    }

    static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // --version is the version to register here, so only -h/--help (HelpOption), no -V.
    @Command(name = "register",
            description = "Register a new version of a model; its artifact's SHA-256 and size are computed here.")
    static final class Register extends Sub {
        @CommandLine.Mixin
        HelpOption help;
        @Parameters(index = "0", paramLabel = "NAME")
        String model;
        @Option(names = "--artifact", required = true, paramLabel = "PATH", description = "The model file or directory.")
        Path artifact;
        @Option(names = "--uri", paramLabel = "URI", defaultValue = "",
                description = "Where the artifact is kept for others, e.g. s3://models/churn.bin (default: its absolute path).")
        String uri;
        @Option(names = "--version", paramLabel = "vX.Y.Z", defaultValue = "",
                description = "The version (default: the latest bumped, v0.0.1 for the first).")
        String version;
        @Option(names = "--bump", paramLabel = "PART", defaultValue = "patch",
                description = "Which part to bump when --version is not given: major, minor or patch (default).")
        String bump;
        @Option(names = "--description", defaultValue = "", description = "Free text.")
        String description;
        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A free tag; repeat for more.")
        Map<String, String> tags = new LinkedHashMap<>();

        @Override
        void checkArguments() {
            Inputs.checkArtifact("--artifact", artifact);
        }

        @Override
        int run(Registry r) {
            return report(r.register(new Registry.Registration(model, artifact, uri, version, bump, description, tags),
                    registry.actor()));
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Move a version into a stage if the stage's promotion rules allow it; exit 1 listing every "
                    + "unmet rule otherwise.")
    static final class Promote extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String model;
        @Parameters(index = "1", paramLabel = "VERSION")
        String version;
        @Option(names = "--to", required = true, paramLabel = "STAGE")
        String stage;
        @Option(names = "--approver", paramLabel = "WHO", defaultValue = "", description = "Who approved it "
                + "(never the actor).")
        String approver;
        @Option(names = "--approver-group", paramLabel = "GROUP", description = "A group the approver belongs to, for "
                + "a stage whose approvers name groups; repeat for more.")
        List<String> approverGroups = new java.util.ArrayList<>();
        @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why.")
        String reason;
        @Option(names = "--override-reject", paramLabel = "REASON", defaultValue = "",
                description = "Promote a version that was rejected (by a rollback or a canary) all the same; the "
                        + "reason is recorded as an override event before the promotion.")
        String overrideReject;

        @Override
        void checkArguments() {
            if (!approverGroups.isEmpty() && approver.isBlank()) {
                throw new UsageException("--approver-group: give --approver too (whose groups they are)");
            }
        }

        @Override
        int run(Registry r) {
            Actor actor = registry.actor();
            if (!overrideReject.isBlank() && r.version(model, version).standingRejection().isPresent()) {
                Registry.Outcome overridden = r.overrideReject(model, version, overrideReject, actor);
                if (!json) {
                    report(overridden);
                }
            }
            return report(r.promote(model, version, stage,
                    new io.modelgate.registry.Approver(approver, approverGroups), reason, actor));
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Put the previous holder of a stage (or --to VERSION) back, and mark the current one rejected.")
    static final class Rollback extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String model;
        @Option(names = "--stage", paramLabel = "STAGE", defaultValue = "production",
                description = "The stage to roll back (default: ${DEFAULT-VALUE}).")
        String stage;
        @Option(names = "--to", paramLabel = "VERSION", description = "The version to put back (default: the previous holder).")
        String to;
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; recorded on the rejected version.")
        String reason;

        @Override
        int run(Registry r) {
            return report(r.rollback(model, stage, Optional.ofNullable(to), reason, registry.actor()));
        }
    }

    @Command(name = "alias", mixinStandardHelpOptions = true, description = "Set or remove an alias such as champion.",
            subcommands = {AliasSet.class, AliasRemove.class})
    static final class Alias extends CommandGroup {
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Point ALIAS at VERSION.")
    static final class AliasSet extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String model;
        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;
        @Parameters(index = "2", paramLabel = "VERSION")
        String version;

        @Override
        int run(Registry r) {
            return report(r.setAlias(model, alias, version, registry.actor()));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove ALIAS.")
    static final class AliasRemove extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String model;
        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Override
        int run(Registry r) {
            return report(r.removeAlias(model, alias, registry.actor()));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List models with their stages and aliases, or versions (of NAME, or matching filters).",
                    "Versions are listed in model then version order, a page at a time (--limit, --offset); "
                            + "deprecated models and deregistered versions only with --all."})
    static final class ListModels extends Sub {
        @Override
        boolean readOnly() {
            return true;
        }

        @Parameters(index = "0", paramLabel = "NAME", arity = "0..1")
        String model;
        @Option(names = "--stage", paramLabel = "STAGE", description = "Only versions in this stage.")
        String stage;
        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Only versions with this tag; repeat: all must hold.")
        Map<String, String> tags = new LinkedHashMap<>();
        @Option(names = "--verdict", paramLabel = "STATUS",
                description = "Only versions whose newest verdict is PASS, WARN or FAIL (NONE: no verdict).")
        String verdict;
        @Option(names = "--all", description = "Include deprecated models and deregistered versions.")
        boolean all;
        @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip this many versions.")
        int offset;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                description = "At most this many versions (default: ${DEFAULT-VALUE}; 0: all).")
        int limit;

        @Override
        void checkArguments() {
            if (offset < 0 || limit < 0) {
                throw new UsageException((offset < 0 ? "--offset" : "--limit") + ": expected 0 or more, found "
                        + Math.min(offset, limit));
            }
        }

        private boolean versionsWanted() {
            return model != null || stage != null || !tags.isEmpty() || verdict != null || all;
        }

        @Override
        int run(Registry r) {
            if (versionsWanted()) {
                Registry.Page page = r.list(new Registry.Listing(Optional.ofNullable(model), Optional.ofNullable(stage),
                        tags, Optional.ofNullable(verdict).map(v -> v.toUpperCase(java.util.Locale.ROOT)), all, offset,
                        limit));
                if (json) {
                    out().raw().println(documents.page(page, offset, limit));
                    return Main.OK;
                }
                if (page.versions().isEmpty()) {
                    out().line("No versions match" + (page.total() > 0 ? " on this page (" + page.total() + " in all)" : ""));
                }
                page.versions().forEach(v -> out().line("%-24s %-12s %-11s %s  %s", v.model(), v.version(),
                        v.stage().isEmpty() ? "-" : v.stage(), v.createdAt(), v.latestVerdict()
                                .map(x -> "verdict " + x.status()).orElse("no verdict")));
                int shown = offset + page.versions().size();
                if (shown < page.total()) {
                    out().line("Showing " + (offset + 1) + "-" + shown + " of " + page.total() + "; next page: --offset "
                            + shown);
                }
                return Main.OK;
            }
            List<ModelState> states = r.models().stream().map(r::state).toList();
            if (json) {
                out().raw().println(documents.of(states));
            } else if (states.isEmpty()) {
                out().line("No models in " + r.location());
            } else {
                states.forEach(s -> out().line("%-24s latest %-10s %s%s%s", s.model(), s.latest(), s.stages(),
                        s.aliases().isEmpty() ? "" : " aliases " + s.aliases(), s.deprecated() ? " (deprecated)" : ""));
            }
            return Main.OK;
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true,
            description = {"Print what NAME@STAGE|ALIAS|VERSION stands for, as plain text for a serving script.",
                    "Exit 2 when nothing resolves (an empty stage, an unknown alias, a deregistered version)."})
    static final class Resolve extends Sub {
        enum Field { uri, digest, version, ref }

        @Override
        boolean readOnly() {
            return true;
        }

        @Parameters(index = "0", paramLabel = "NAME@STAGE|ALIAS|VERSION")
        String reference;
        @Option(names = "--field", paramLabel = "FIELD", defaultValue = "uri",
                description = "What to print: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Field field;

        @Override
        int run(Registry r) {
            ModelVersion v = r.resolve(reference);
            if (json) {
                out().raw().println(documents.of(v));
                return Main.OK;
            }
            out().line(switch (field) {
                case uri -> v.artifact().uri();
                case digest -> "sha256:" + v.artifact().sha256();
                case version -> v.version();
                case ref -> v.ref();
            });
            return Main.OK;
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true,
            description = "Set or remove tags of a model (NAME) or a version (NAME@VERSION), audited.",
            subcommands = {TagSet.class, TagUnset.class})
    static final class Tag extends CommandGroup {
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set tags (KEY=VALUE ...).")
    static final class TagSet extends Sub {
        @Parameters(index = "0", paramLabel = "NAME[@VERSION]")
        String reference;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE")
        List<String> pairs;

        private final Map<String, String> tags = new LinkedHashMap<>();

        @Override
        void checkArguments() {
            for (String p : pairs) {
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    throw new UsageException("tag '" + io.modelgate.common.Sanitizer.escape(p)
                            + "': expected KEY=VALUE");
                }
                tags.put(p.substring(0, eq), p.substring(eq + 1));
            }
        }

        @Override
        int run(Registry r) {
            return report(r.tags(reference, tags, true, registry.actor()));
        }
    }

    @Command(name = "unset", mixinStandardHelpOptions = true, description = "Remove tags (KEY ...).")
    static final class TagUnset extends Sub {
        @Parameters(index = "0", paramLabel = "NAME[@VERSION]")
        String reference;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY")
        List<String> keys;

        @Override
        int run(Registry r) {
            Map<String, String> tags = new LinkedHashMap<>();
            keys.forEach(k -> tags.put(k, ""));
            return report(r.tags(reference, tags, false, registry.actor()));
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Replace the description of a model (NAME) or a version (NAME@VERSION), audited.")
    static final class Describe extends Sub {
        @Parameters(index = "0", paramLabel = "NAME[@VERSION]")
        String reference;
        @Parameters(index = "1", paramLabel = "TEXT")
        String text;

        @Override
        int run(Registry r) {
            return report(r.describe(reference, text, registry.actor()));
        }
    }

    @Command(name = "deprecate", mixinStandardHelpOptions = true,
            description = "Retire a model: its stage holders are archived, and no version is registered or promoted again.")
    static final class Deprecate extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String model;
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; recorded in the history.")
        String reason;

        @Override
        int run(Registry r) {
            return report(r.deprecate(model, reason, registry.actor()));
        }
    }

    @Command(name = "deregister", mixinStandardHelpOptions = true,
            description = "Take a version out of every stage and alias for good; it never resolves or is promoted again.")
    static final class Deregister extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String model;
        @Parameters(index = "1", paramLabel = "VERSION")
        String version;
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; recorded in the history.")
        String reason;

        @Override
        int run(Registry r) {
            return report(r.deregister(model, version, reason, registry.actor()));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a model (its stages and aliases) or one version (NAME VERSION, or NAME@STAGE|ALIAS).")
    static final class Show extends Sub {
        @Override
        boolean readOnly() {
            return true;
        }

        @Parameters(index = "0", paramLabel = "NAME")
        String model;
        @Parameters(index = "1", paramLabel = "VERSION", arity = "0..1")
        String version;

        @Override
        int run(Registry r) {
            if (version == null && !model.contains("@")) {
                ModelState s = r.state(model);
                if (json) {
                    out().raw().println(documents.of(s));
                } else {
                    out().line(s.model() + ": latest " + s.latest() + ", " + s.seq() + " events");
                    r.config().stages().keySet().forEach(stage ->
                            out().line("  %-12s %s", stage, s.holders(stage).isEmpty() ? "-" : String.join(", ", s.holders(stage))));
                    s.aliases().forEach((a, v) -> out().line("  @%-11s %s", a, v));
                }
                return Main.OK;
            }
            ModelVersion v = version == null ? r.resolve(model) : r.version(model, version);
            if (json) {
                out().raw().println(documents.of(v));
            } else {
                out().line(v.ref() + (v.stage().isEmpty() ? "" : " (" + v.stage() + " since " + v.stageSince() + ")"));
                out().line("  artifact   " + v.artifact().uri() + "  sha256 " + v.artifact().sha256() + "  "
                        + v.artifact().size() + " bytes");
                out().line("  created    " + v.createdAt() + " by " + v.createdBy()
                        + (v.build().buildUrl().isEmpty() ? "" : " in " + v.build().buildUrl()));
                if (!v.description().isEmpty()) {
                    out().line("  about      " + v.description());
                }
                v.tags().forEach((k, val) -> out().line("  tag        " + k + "=" + val));
                out().line("  verdict    " + v.latestVerdict().map(x -> x.status() + " (" + x.summary() + ")").orElse("none"));
                v.rejections().forEach(x -> out().line("  rejected   " + x.at() + " by " + x.by() + ": " + x.reason()));
                if (!v.lineage().isEmpty()) {
                    out().line("  lineage    " + String.join(", ", v.lineage()));
                }
            }
            return Main.OK;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Show the audit trail of a model, newest first.")
    static final class History extends Sub {
        @Override
        boolean readOnly() {
            return true;
        }

        @Parameters(index = "0", paramLabel = "NAME")
        String model;
        @Option(names = "--limit", defaultValue = "0", description = "At most this many events (default: all).")
        int limit;
        @Option(names = "--report-dir", paramLabel = "DIR", description = "Also write registry.html (the history as a "
                + "page, with the current stages and aliases) and registry.json to DIR, and refresh DIR/index.html.")
        Path reportDir;

        @Override
        void checkArguments() {
            if (limit < 0) {
                throw new UsageException("--limit: expected 0 (all) or more events, found " + limit);
            }
            Inputs.checkOutputDirectory("--report-dir", reportDir);
        }

        @Override
        int run(Registry r) {
            List<AuditEntry> entries = r.history(model, limit);
            if (reportDir != null) {
                List<ModelVersion> versions = entries.stream().map(e -> e.event().version()).filter(v -> !v.isEmpty())
                        .distinct().map(v -> r.version(model, v)).toList();
                Path page = RegistryReport.write(new RegistryReport.Input(r.state(model), entries, versions), reportDir);
                // With --json, standard output stays one JSON document.
                (json ? Terminal.err(spec) : out()).line("Page: " + page.toUri());
            }
            if (json) {
                out().raw().println(documents.history(model, entries));
            } else {
                for (AuditEntry e : entries) {
                    RegistryEvent ev = e.event();
                    out().line("%s  #%-4d %s  by %s%s%s  [%s]", ev.at(), ev.seq(), ev.describe(), ev.actor(),
                            ev.approver().isEmpty() ? "" : ", approved by " + ev.approver(),
                            ev.reason().isEmpty() ? "" : ": " + ev.reason(), e.commit().substring(0, 8));
                }
            }
            return Main.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check that every stage and alias follows from the audit trail and nothing was rewritten; exit 1 "
                    + "on any problem.")
    static final class Verify extends Sub {
        @Override
        boolean readOnly() {
            return true;
        }

        @Override
        int run(Registry r) {
            VerifyReport report = r.verify(List.of(io.modelgate.lineage.LineageStore::verify));
            if (json) {
                out().raw().println(documents.of(report));
            } else if (report.ok()) {
                out().line("Registry OK: " + report.models() + " models, " + report.events() + " events replayed, every "
                        + "object re-hashed, lineage records checked");
            } else {
                out().line("Registry has " + report.problems().size() + " problem(s):");
                report.problems().forEach(p -> out().line("  - " + p));
            }
            if (!json && !report.locks().isEmpty()) {
                out().line("Lock files left by a writer that was killed (the next write removes each once stale): "
                        + String.join(", ", report.locks()));
            }
            return report.ok() ? Main.OK : Main.FAILED;
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Bring a registry shared through a Git remote up to date in this agent's cache.",
                    "A remote whose Modelgate history moved back or was rewritten is refused (exit 3), as by every "
                            + "command; --accept-rewrite takes the remote's history after all and records, on each "
                            + "model so rewritten, who accepted it, why, and both commits."})
    static final class Fetch extends CliCommand {
        @CommandLine.Mixin
        RegistryOptions registry;
        @Option(names = "--accept-rewrite", paramLabel = "REASON",
                description = "Follow rewritten histories, recording this reason (who checked the new history, and why "
                        + "it is right).")
        String acceptRewrite;
        @Override
        public Integer call() {
            Terminal out = Terminal.out(spec);
            if (acceptRewrite == null) {
                try (Registry r = registry.openExisting()) {
                    out.line("Up to date: " + r.location() + ", " + r.models().size() + " models");
                }
            } else {
                Registry.AcceptedRewrite accepted = registry.acceptRewrite(acceptRewrite);
                if (accepted.rewrites().isEmpty()) {
                    out.line("Nothing rewritten: the remote's history descends from what this cache held");
                }
                accepted.rewrites().forEach(w -> out.line("Followed " + w.ref() + " from " + w.from().substring(0, 8)
                        + " to " + w.to().substring(0, 8) + " (rewritten on the remote)"));
                accepted.recorded().forEach(o -> {
                    if (o.decision() instanceof io.modelgate.registry.Decision.Change c) {
                        out.line("Recorded: " + c.event().describe() + " [" + o.commit().substring(0, 8) + "]");
                    }
                });
            }
            out.flush();
            return Main.OK;
        }
    }

    @Command(name = "import-gto", mixinStandardHelpOptions = true,
            description = {"Build registry state from a repository tagged by DVC GTO.",
                    "Replays its registrations (name@vX.Y.Z) and stage assignments (name#stage#N) in GTO's order. "
                            + "Safe to run again."})
    static final class ImportGto extends Sub {
        @Option(names = "--from", required = true, paramLabel = "REPO", description = "The GTO-tagged Git repository.")
        Path from;
        @Option(names = "--stage", paramLabel = "GTO=REGISTRY", description = "Map a GTO stage onto a registry stage, "
                + "e.g. prod=production; repeat for more.")
        Map<String, String> stageMap = new LinkedHashMap<>();

        @Override
        void checkArguments() {
            if (!java.nio.file.Files.isDirectory(from)) {
                throw new UsageException("--from " + from + ": "
                        + (java.nio.file.Files.exists(from) ? "not a directory" : "no such directory")
                        + "; give the GTO-tagged Git repository");
            }
        }

        @Override
        int run(Registry r) {
            var report = r.importGto(from, stageMap, registry.actor());
            if (json) {
                out().raw().println(documents.of(report));
            } else {
                out().line("Imported " + report.applied() + " GTO events from " + from + ", skipped "
                        + report.skipped().size());
                report.skipped().forEach(s -> out().line("  skipped " + s));
                report.mismatches().forEach(m -> out().line("  differs from gto show: " + m));
            }
            return Main.OK;
        }
    }

    @Command(name = "import-mlflow", mixinStandardHelpOptions = true,
            description = {"Build registry state from MLflow's model registry, exported as JSON.",
                    "The file holds MLflow's REST responses: registered-models/search and model-versions/search "
                            + "(one object with both keys, or a list of such pages). Versions N become v0.0.N; "
                            + "stages, aliases, tags, descriptions and run ids come along. Safe to run again."})
    static final class ImportMlflow extends Sub {
        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The exported JSON.")
        Path file;
        @Option(names = "--stage", paramLabel = "MLFLOW=REGISTRY", description = "Map an MLflow stage onto a registry "
                + "stage, e.g. Production=prod (default: Staging=staging, Production=production, Archived=archived); "
                + "repeat for more.")
        Map<String, String> stageMap = new LinkedHashMap<>();

        @Override
        int run(Registry r) {
            var report = r.importMlflow(file, stageMap, registry.actor());
            if (json) {
                out().raw().println(documents.of(report));
            } else {
                out().line("Imported " + report.applied() + " MLflow changes from " + file + "; " + report.unmapped().size()
                        + " could not be mapped");
                report.imported().forEach(s -> out().line("  " + s));
                report.unmapped().forEach(s -> out().line("  not mapped: " + s));
                report.hookProblems().forEach(p -> Terminal.err(spec).line("Hook not delivered: " + p));
            }
            return Main.OK;
        }
    }

    @Command(name = "configure", mixinStandardHelpOptions = true,
            description = {"Store a registry configuration in the registry itself, or print the one in force.",
                    "The file's registry: section (stages, promotion rules, gto_tags) is stored in the registry, so "
                            + "every agent sharing it enforces the same rules. Without --file, prints the "
                            + "configuration in force."})
    static final class Configure extends Sub {
        @Option(names = "--file", paramLabel = "FILE", description = "The configuration to store.")
        Path file;

        /** The configuration to store, read before the registry is opened. */
        private String yaml;

        @Override
        boolean readOnly() {
            return file == null; // printing the configuration in force changes nothing
        }

        @Override
        void checkArguments() {
            if (file != null) {
                yaml = io.modelgate.common.Yaml.read(file, UsageException::new); // a FIFO is refused, not waited on
            }
        }

        @Override
        int run(Registry r) {
            io.modelgate.registry.RegistryConfig config = r.config();
            if (file != null) {
                config = r.configure(file.toString(), yaml, registry.actor());
            }
            if (json) {
                out().raw().println(documents.of(config));
            } else {
                out().line((file != null ? "Stored in the registry. " : "") + "Stages: " + config.stages()
                        + ", archive: " + config.archive() + ", GTO tags: " + (config.gtoTags() ? "on" : "off"));
                config.promotion().forEach((stage, rule) -> out().line("  into " + stage + ": verdict "
                        + rule.verdict() + (rule.from().isEmpty() ? "" : ", from " + rule.from())
                        + (rule.requireApprover() ? ", approver" : "") + (rule.requireLineage() ? ", lineage" : "")
                        + (rule.minTimeInStage().isZero() ? "" : ", at least " + rule.minTimeInStage())));
            }
            return Main.OK;
        }
    }
}
