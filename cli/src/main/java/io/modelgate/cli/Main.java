package io.modelgate.cli;

import io.modelgate.common.ModelgateException;
import io.modelgate.common.Sanitizer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;

/** The {@code modelgate} command: the only place that prints to the terminal or exits the JVM. */
@Command(name = "modelgate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"MLOps as ordinary Jenkins build stages.",
                "Validate a model against metric thresholds; see 'modelgate help COMMAND'."},
        footer = {"", "Exit codes:",
                "  0  passed (also with warnings, unless --fail-on warn)",
                "  1  the gate or a check failed",
                "  2  bad input, usage or configuration",
                "  3  an external system failed or could not be reached",
                "  4  internal error (a bug: please report it)",
                "  5  a canary rollout paused for a person (canary run, canary resume)",
                "", "Documentation: docs/ in the Modelgate repository."})
public final class Main extends CommandGroup {
    /** Exit codes, the contract the Jenkins steps rely on. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int EXTERNAL = 3;
    public static final int INTERNAL = 4;

    /**
     * The subcommands, in the order help lists them. Only the one a command line names is built:
     * picocli reads every option of every command it is given, and building all of them (registry and
     * lineage have a dozen between them) took 0.3 s of a short command's start-up.
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(ValidateCommand.class, DriftCommand.class,
            DemoCommand.class, RegistryCommand.class, LineageCommand.class, CanaryCommand.class, ReportCommand.class,
            BenchCommand.class, RunStepCommand.class, CommandLine.HelpCommand.class);

    /**
     * The subcommand {@code args} name, or all of them (for help, usage and a misspelt name's
     * suggestions). The launcher's class-data archive is made by a run with {@code MODELGATE_ALL_COMMANDS}
     * set, which builds all of them, so that the archive holds every command's classes.
     */
    static List<Class<?>> subcommandsFor(String... args) {
        return pick(SUBCOMMANDS, args.length > 0 ? args[0] : null);
    }

    /** The command of {@code all} called {@code name}, or all of them when none is (or every one is wanted). */
    static List<Class<?>> pick(List<Class<?>> all, String name) {
        if (name != null && System.getenv("MODELGATE_ALL_COMMANDS") == null) {
            for (Class<?> c : all) {
                if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(name)) {
                    return List.of(c);
                }
            }
        }
        return all;
    }

    /** A command, with its own subcommands when they are listed apart ({@link RegistryCommand#SUBCOMMANDS}). */
    static Object command(Class<?> c, String... args) {
        if (c != RegistryCommand.class) {
            return c;
        }
        CommandLine registry = new CommandLine(new RegistryCommand());
        pick(RegistryCommand.SUBCOMMANDS, args.length > 1 ? args[1] : null).forEach(registry::addSubcommand);
        return registry;
    }

    private final Invocation invocation;

    Main(Invocation invocation) {
        this.invocation = invocation;
    }

    /** Where the command of {@code spec} (a command, subcommand or mixin of this command line) runs. */
    static Invocation invocation(CommandLine.Model.CommandSpec spec) {
        return ((Main) spec.root().userObject()).invocation;
    }

    public static void main(String[] args) {
        io.modelgate.store.GitSystemConfig.install();
        // The terminal's charset, as System.out and System.err use.
        Charset charset = Charset.defaultCharset();
        System.exit(run(new PrintWriter(System.out, true, charset), new PrintWriter(System.err, true, charset), args));
    }

    /** Runs the command line and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, Invocation.PROCESS, args);
    }

    /** Runs the command line in {@code invocation}'s directory and environment (a build's, for a step). */
    static int run(PrintWriter out, PrintWriter err, Invocation invocation, String... args) {
        CommandLine cl = new CommandLine(new Main(invocation));
        // Subcommands first: the settings below apply to the subcommands a command line has when they are made.
        subcommandsFor(args).forEach(c -> cl.addSubcommand(command(c, args)));
        versionEverywhere(cl);
        // Relative paths are read against the invocation's working directory (a test's own folder).
        cl.registerConverter(java.nio.file.Path.class, s -> invocation.resolve(java.nio.file.Path.of(s)));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionStrategy(Main::refuseUnmatched);
        // Every line of an error passes through the one redactor (URLs with passwords, the values of secret
        // variables) and is escaped for the terminal: a message quotes what the user typed.
        io.modelgate.common.Redactor redactor = io.modelgate.common.Redactor.of(invocation.env());
        java.util.function.Function<String, String> line = m -> Sanitizer.terminal(redactor.redact(m));
        cl.setParameterExceptionHandler((ex, args2) -> {
            // One line naming the mistake, and where to look; the full usage would bury it.
            err.println("modelgate: " + line.apply(ex.getMessage()));
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ModelgateException me) {
                err.println("modelgate: " + line.apply(me.getMessage()));
                return me.kind() == ModelgateException.Kind.EXTERNAL ? EXTERNAL : BAD_INPUT;
            }
            err.println("modelgate: internal error, please report it with the output below");
            err.println(redactor.redact(stackTrace(ex)));
            return INTERNAL;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // Never exit 1: the contract reads 1 as "the gate failed" or "the data drifted".
            err.println("modelgate: out of memory; give Java more with MODELGATE_JAVA_OPTS=-Xmx4g (now at most "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB)");
            return INTERNAL;
        } catch (StackOverflowError e) {
            err.println("modelgate: the input is nested too deeply to read (stack overflow); give Java a larger stack"
                    + " with MODELGATE_JAVA_OPTS=-Xss8m");
            return INTERNAL;
        }
    }

    /**
     * Runs the command a command line names, once nothing in it is left unmatched: picocli's help command takes
     * whatever follows it, and would answer {@code help --no-such-flag} with the main usage and exit 0.
     */
    private static int refuseUnmatched(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** Every command that advertises -V (picocli's standard help options) prints this build's version. */
    private static void versionEverywhere(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        if (spec.versionProvider() == null && spec.version().length == 0) {
            spec.versionProvider(new Version());
        }
        cl.getSubcommands().values().forEach(Main::versionEverywhere);
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString().stripTrailing();
    }

    /** This build's version, e.g. 0.1.0-SNAPSHOT. */
    static String version() {
        return io.modelgate.common.ModelgateVersion.current();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"modelgate " + version(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
