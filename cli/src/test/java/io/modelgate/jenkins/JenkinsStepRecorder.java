package io.modelgate.jenkins;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GroovyObjectSupport;
import groovy.lang.GroovyShell;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.runtime.InvokerHelper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Jenkins step recorder: runs the shared library's {@code vars/} and Jenkinsfiles in plain
 * Groovy 4, outside Jenkins. {@code sh}, {@code writeFile}, {@code readFile} and
 * {@code fileExists} really run in a workspace folder; Jenkins-only steps ({@code junit},
 * {@code publishChecks}, {@code publishHTML}, {@code archiveArtifacts}, {@code input}, {@code build}) are
 * recorded; {@code error} and {@code unstable} set the build result as Jenkins does; the
 * declarative subset the example Jenkinsfile uses is interpreted by {@link DeclarativePipeline}.
 *
 * <p>What it does not verify: the CPS transformation and its serialisation rules, the script
 * security sandbox, and the behaviour of the real plugins behind the recorded steps. Steps named in
 * {@link #withoutPlugin} behave as in a Jenkins without their plugin: {@code NoSuchMethodError}.
 */
final class JenkinsStepRecorder {
    static final String SELF = "__jenkinsStepRecorder";

    /** One call of a Jenkins step: its name and named arguments ({@code value} for a single unnamed one). */
    record Call(String step, Map<String, Object> args) {
    }

    /** What {@code error} throws: Jenkins' AbortException, a failed step with a message. */
    static final class StepFailure extends RuntimeException {
        StepFailure(String message) {
            super(message);
        }
    }

    /** What an aborted build throws into the running step: Jenkins' FlowInterruptedException. */
    static final class BuildAborted extends InterruptedException {
        BuildAborted(String message) {
            super(message);
        }
    }

    private final Path workspace;
    private final Map<String, String> env = new TreeMap<>();
    private final Map<String, Script> vars = new LinkedHashMap<>();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final StringBuffer log = new StringBuffer();
    private final Set<String> missingPlugins = new HashSet<>();
    private final Binding binding;
    private final GroovyShell shell;
    private String result = "SUCCESS";
    private String approver;
    private Predicate<String> abortWhen = s -> false;
    private Predicate<String> abortOnceOutput = s -> false;
    private Path cwd;
    private Path libraryRoot;

    JenkinsStepRecorder(Path workspace) {
        this.workspace = workspace.toAbsolutePath();
        this.cwd = this.workspace;
        env.put("WORKSPACE", this.workspace.toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", System.getenv().getOrDefault("HOME", "/tmp"));
        env.put("BUILD_NUMBER", "1");
        env.put("JOB_NAME", "churn");
        env.put("BUILD_URL", "https://ci.example.com/job/churn/1/");
        env.put("JENKINS_URL", "https://ci.example.com/");
        env.put("BRANCH_NAME", "main");
        String javaHome = System.getProperty("java.home");
        env.put("JAVA_HOME", javaHome);
        this.binding = new PipelineBinding();
        binding.setVariable(SELF, this);
        binding.setVariable("env", new EnvVars());
        binding.setVariable("currentBuild", new CurrentBuild());
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(PipelineScript.class.getName());
        // Jenkins makes these available to every pipeline script without an import.
        config.addCompilationCustomizers(new ImportCustomizer()
                .addImports("com.cloudbees.groovy.cps.NonCPS", "org.jenkinsci.plugins.workflow.libs.Library"));
        this.shell = new GroovyShell(JenkinsStepRecorder.class.getClassLoader(), binding, config);
    }

    /** Loads every {@code vars/*.groovy} of a shared library, as Jenkins does for {@code libraryPath}. */
    JenkinsStepRecorder library(Path libraryRoot) {
        this.libraryRoot = libraryRoot;
        try (var files = Files.list(libraryRoot.resolve("vars"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".groovy")).sorted().toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.groovy$", "");
                Script s = shell.parse(Files.readString(f), name + ".groovy");
                vars.put(name, s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    JenkinsStepRecorder env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Makes the build a pull-request build, as the multibranch plugin does (CHANGE_ID, CHANGE_TARGET). */
    JenkinsStepRecorder pullRequest(String id) {
        env.put("CHANGE_ID", id);
        env.put("CHANGE_TARGET", "main");
        env.put("BRANCH_NAME", "PR-" + id);
        return this;
    }

    /** The step behaves as in a Jenkins without the plugin that provides it. */
    JenkinsStepRecorder withoutPlugin(String step) {
        missingPlugins.add(step);
        return this;
    }

    /** Who answers an {@code input}; without one, an input is answered "Abort". */
    JenkinsStepRecorder approveInputsAs(String user) {
        this.approver = user;
        return this;
    }

    /**
     * Aborts the build, as a person pressing the stop button, while an {@code sh} whose script matches
     * runs, as soon as what it printed so far matches {@code output}: the test says which state the
     * step must have reached (a line it prints), never how long that takes. The button is pressed
     * once: the steps that run after it (a rollback) are not aborted.
     */
    JenkinsStepRecorder abortShWhen(Predicate<String> script, Predicate<String> output) {
        this.abortWhen = script;
        this.abortOnceOutput = output;
        return this;
    }

    /** Runs a scripted snippet (as in a {@code script { }} block) and returns its value; the result is in {@link #result()}. */
    Object run(String groovy) {
        try {
            return shell.evaluate(groovy, "Snippet.groovy");
        } catch (StepFailure e) {
            worsen("FAILURE");
            log("ERROR: " + e.getMessage());
            throw e;
        }
    }

    /** Runs a declarative Jenkinsfile to its end; the build result is in {@link #result()}. */
    String runJenkinsfile(Path jenkinsfile) {
        try {
            shell.evaluate(Files.readString(jenkinsfile), "Jenkinsfile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    Object invoke(String name, Object[] args) {
        Script var = vars.get(name);
        if (var != null) {
            return InvokerHelper.invokeMethod(var, "call", args);
        }
        if (name.equals("pipeline")) {
            new DeclarativePipeline(this).run((Closure<?>) args[0]);
            return null;
        }
        if (missingPlugins.contains(name)) {
            record(name, args);
            throw new NoSuchMethodError("No such DSL method '" + name + "' found among steps [sh, echo, error, ...]");
        }
        return switch (name) {
            case "sh" -> sh(args);
            case "echo" -> {
                log(String.valueOf(args[0]));
                yield null;
            }
            case "error" -> {
                record(name, args);
                throw new StepFailure(String.valueOf(args[0]));
            }
            case "unstable" -> {
                record(name, args);
                worsen("UNSTABLE");
                log("WARNING: " + (args[0] instanceof Map<?, ?> m ? m.get("message") : args[0]));
                yield null;
            }
            case "writeFile" -> {
                Map<String, Object> a = named(args);
                Path f = cwd.resolve(String.valueOf(a.get("file")));
                io(() -> {
                    Files.createDirectories(f.getParent());
                    Files.writeString(f, String.valueOf(a.get("text")));
                });
                yield null;
            }
            case "readFile" -> {
                Object file = args[0] instanceof Map<?, ?> m ? m.get("file") : args[0];
                try {
                    yield Files.readString(cwd.resolve(String.valueOf(file)));
                } catch (IOException e) {
                    throw new StepFailure("readFile: " + e);
                }
            }
            case "fileExists" -> Files.exists(cwd.resolve(String.valueOf(args[0] instanceof Map<?, ?> m ? m.get("file") : args[0])));
            case "isUnix" -> true;
            case "libraryResource" -> {
                // As Jenkins: a file under the library's resources/, by its path; a missing one fails the step.
                Object path = args[0] instanceof Map<?, ?> m ? m.get("resource") : args[0];
                Path f = libraryRoot == null ? null : libraryRoot.resolve("resources").resolve(String.valueOf(path));
                if (f == null || !Files.isRegularFile(f)) {
                    throw new StepFailure("No such library resource " + path + " could be found.");
                }
                try {
                    yield Files.readString(f);
                } catch (IOException e) {
                    throw new StepFailure("libraryResource: " + e);
                }
            }
            case "string", "booleanParam" -> named(args);
            case "junit", "publishChecks", "publishHTML", "archiveArtifacts", "build" -> {
                record(name, args);
                yield null;
            }
            case "input" -> {
                record(name, args);
                if (approver == null) {
                    sneakyThrow(new BuildAborted("input: rejected"));
                }
                yield approver;
            }
            case "withEnv" -> {
                @SuppressWarnings("unchecked") List<String> pairs = (List<String>) args[0];
                Map<String, String> saved = new TreeMap<>(env);
                pairs.forEach(p -> env.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1)));
                try {
                    yield ((Closure<?>) args[1]).call();
                } finally {
                    env.clear();
                    env.putAll(saved);
                }
            }
            case "dir" -> {
                Path saved = cwd;
                cwd = cwd.resolve(String.valueOf(args[0]));
                try {
                    yield ((Closure<?>) args[1]).call();
                } finally {
                    cwd = saved;
                }
            }
            case "script", "timeout" -> ((Closure<?>) args[args.length - 1]).call();
            default -> throw new NoSuchMethodError("No such DSL method '" + name + "' found among steps [sh, echo, error, ...]");
        };
    }

    private Object sh(Object[] args) {
        Map<String, Object> a = args[0] instanceof Map<?, ?> ? named(args) : Map.of("script", String.valueOf(args[0]));
        String script = String.valueOf(a.get("script"));
        boolean returnStatus = Boolean.TRUE.equals(a.get("returnStatus"));
        boolean returnStdout = Boolean.TRUE.equals(a.get("returnStdout"));
        record("sh", args);
        log("+ sh " + (a.containsKey("label") ? "(" + a.get("label") + ") " : "") + script);
        // As Jenkins' sh: a POSIX shell with -x (commands in the log) and -e (stop at the first failure).
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-xe", "-c", script).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectErrorStream(!returnStdout);
        try {
            Process p = pb.start();
            StringBuffer stdout = new StringBuffer();
            StringBuffer printed = new StringBuffer();
            Thread reader = drain(p.getInputStream(), returnStdout ? stdout : null, printed);
            Thread errReader = returnStdout ? drain(p.getErrorStream(), null, printed) : null;
            boolean finished;
            if (abortWhen.test(script)) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (!(finished = p.waitFor(20, TimeUnit.MILLISECONDS)) && !abortOnceOutput.test(printed.toString())) {
                    if (System.nanoTime() > deadline) {
                        p.descendants().forEach(ProcessHandle::destroy);
                        p.destroy();
                        throw new AssertionError("the step never printed what the abort waits for; it printed:\n" + printed);
                    }
                }
            } else {
                finished = p.waitFor(30, TimeUnit.MINUTES);
            }
            if (!finished) {
                // The stop button, pressed once: Jenkins kills the step's process tree and interrupts the step;
                // what the step does then (a rollback) runs to its end.
                abortWhen = x -> false;
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                p.waitFor(30, TimeUnit.SECONDS);
                reader.join(5000);
                log("Aborted by the Jenkins step recorder");
                worsen("ABORTED");
                sneakyThrow(new BuildAborted("sh: aborted"));
            }
            reader.join(10_000);
            if (errReader != null) {
                errReader.join(10_000);
            }
            int code = p.exitValue();
            if (returnStatus) {
                return code;
            }
            if (code != 0) {
                throw new StepFailure("script returned exit code " + code);
            }
            return returnStdout ? stdout.toString() : null;
        } catch (IOException e) {
            throw new StepFailure("sh: " + e);
        } catch (InterruptedException e) {
            if (e instanceof BuildAborted) {
                sneakyThrow(e);
            }
            Thread.currentThread().interrupt();
            throw new StepFailure("sh: interrupted");
        }
    }

    /** Copies a process's output as it comes into {@code into} (else the build log) and into {@code printed}. */
    private Thread drain(InputStream in, StringBuffer into, StringBuffer printed) {
        Thread t = new Thread(() -> {
            try (java.io.Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
                char[] buf = new char[8192];
                for (int n; (n = r.read(buf)) > 0; ) {
                    (into != null ? into : log).append(buf, 0, n);
                    printed.append(buf, 0, n);
                }
            } catch (IOException ignored) {
                // The process was killed: what it printed so far is all there is.
            }
        });
        t.start();
        return t;
    }

    private void record(String step, Object[] args) {
        calls.add(new Call(step, args.length == 1 && args[0] instanceof Map<?, ?> ? named(args)
                : args.length == 0 ? Map.of() : Map.of("value", args[0])));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> named(Object[] args) {
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) args[0]).forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    void log(String line) {
        log.append(line).append('\n');
    }

    /** Sets the build result unless it is already worse, as {@code Run.setResult} does. */
    void worsen(String to) {
        List<String> order = List.of("SUCCESS", "UNSTABLE", "FAILURE", "ABORTED");
        if (order.indexOf(to) > order.indexOf(result)) {
            result = to;
        }
    }

    String result() {
        return result;
    }

    String log() {
        return log.toString();
    }

    Path workspace() {
        return workspace;
    }

    Map<String, String> envVars() {
        return env;
    }

    /** Every recorded call of {@code step}, in order. */
    List<Call> calls(String step) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.step().equals(step)).toList();
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new StepFailure(e.toString());
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    /** Variables of the scripts: their own, then the build's environment, as Jenkins resolves {@code ${WORKSPACE}}. */
    private final class PipelineBinding extends Binding {
        @Override
        public Object getVariable(String name) {
            if (super.hasVariable(name)) {
                return super.getVariable(name);
            }
            if (env.containsKey(name)) {
                return env.get(name);
            }
            throw new MissingPropertyException(name, getClass());
        }

        @Override
        public boolean hasVariable(String name) {
            return super.hasVariable(name) || env.containsKey(name);
        }
    }

    /** {@code env}: reads and writes the build's environment; an unset variable is null. */
    final class EnvVars extends GroovyObjectSupport {
        @Override
        public Object getProperty(String name) {
            return env.get(name);
        }

        @Override
        public void setProperty(String name, Object value) {
            env.put(name, String.valueOf(value));
        }

        public Object getAt(String name) {
            return env.get(name);
        }
    }

    /** {@code currentBuild}: the result so far. */
    final class CurrentBuild extends GroovyObjectSupport {
        public String getCurrentResult() {
            return result;
        }

        public String getResult() {
            return result;
        }

        public void setResult(String r) {
            worsen(r);
        }
    }
}
