package io.modelgate.jenkins;

import groovy.lang.Closure;
import groovy.lang.GroovyObjectSupport;
import groovy.lang.MissingPropertyException;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declarative subset the example Jenkinsfile uses, interpreted for the Jenkins step recorder:
 * {@code pipeline}, {@code agent} (ignored: everything runs in the workspace), {@code options} and
 * {@code triggers} (ignored), {@code environment}, {@code stages}, {@code stage}, {@code when}
 * ({@code branch}, {@code changeRequest}, {@code not}, {@code anyOf}, {@code allOf},
 * {@code expression}, {@code environment}), {@code steps}, {@code script} and {@code post}
 * ({@code always}, {@code success}, {@code unstable}, {@code failure}, {@code aborted},
 * {@code cleanup}). As in Jenkins, a failed stage skips the stages after it and the post sections
 * still run.
 */
final class DeclarativePipeline {
    private final JenkinsStepRecorder recorder;

    DeclarativePipeline(JenkinsStepRecorder recorder) {
        this.recorder = recorder;
    }

    void run(Closure<?> body) {
        Section pipeline = new Section();
        delegate(body, pipeline).call();
        pipeline.applyEnvironment(recorder);
        boolean stop = false;
        for (Stage stage : pipeline.stages) {
            if (stop) {
                recorder.log("Stage \"" + stage.name + "\" skipped due to earlier failure(s)");
                continue;
            }
            if (stage.section.when != null && !new When(recorder).test(stage.section.when)) {
                recorder.log("Stage \"" + stage.name + "\" skipped due to when conditional");
                continue;
            }
            recorder.log("[Pipeline] { (" + stage.name + ")");
            stage.section.applyEnvironment(recorder);
            boolean failed = !runGuarded(stage.section.steps);
            stop = failed || recorder.result().equals("ABORTED");
            runPost(stage.section.post, failed);
        }
        runPost(pipeline.post, recorder.result().equals("FAILURE"));
    }

    /** Runs a block; false when it failed (error, a failed sh, an abort), after setting the build result. */
    private boolean runGuarded(Closure<?> block) {
        if (block == null) {
            return true;
        }
        try {
            block.call();
            return true;
        } catch (JenkinsStepRecorder.StepFailure e) {
            recorder.log("ERROR: " + e.getMessage());
            recorder.worsen("FAILURE");
        } catch (RuntimeException | Error e) {
            if (e.getCause() instanceof InterruptedException || isInterrupted(e)) {
                recorder.worsen("ABORTED");
            } else {
                recorder.log("ERROR: " + e);
                recorder.worsen("FAILURE");
            }
        } catch (Exception e) {
            recorder.worsen(e instanceof InterruptedException ? "ABORTED" : "FAILURE");
            recorder.log((e instanceof InterruptedException ? "Aborted: " : "ERROR: ") + e.getMessage());
        }
        return false;
    }

    private static boolean isInterrupted(Throwable e) {
        return e instanceof JenkinsStepRecorder.BuildAborted;
    }

    private void runPost(Map<String, Closure<?>> post, boolean failed) {
        String result = recorder.result();
        for (String condition : List.of("always", "success", "unstable", "failure", "aborted", "cleanup")) {
            Closure<?> block = post.get(condition);
            boolean applies = switch (condition) {
                case "always", "cleanup" -> true;
                case "success" -> !failed && result.equals("SUCCESS");
                case "unstable" -> result.equals("UNSTABLE");
                case "failure" -> failed || result.equals("FAILURE");
                case "aborted" -> result.equals("ABORTED");
                default -> false;
            };
            if (block != null && applies) {
                recorder.log("Post stage: " + condition);
                runGuarded(block);
            }
        }
    }

    private static <T> Closure<T> delegate(Closure<T> c, Object to) {
        c.setDelegate(to);
        c.setResolveStrategy(Closure.DELEGATE_FIRST);
        return c;
    }

    private record Stage(String name, Section section) {
    }

    /** A pipeline or a stage: both take agent, environment, when (stages only), steps, stages and post. */
    public static final class Section extends GroovyObjectSupport {
        final Map<String, Object> environment = new LinkedHashMap<>();
        final List<Stage> stages = new ArrayList<>();
        final Map<String, Closure<?>> post = new LinkedHashMap<>();
        Closure<?> when;
        Closure<?> steps;

        @Override
        public Object getProperty(String name) {
            // agent any / agent none
            if (name.equals("any") || name.equals("none")) {
                return name;
            }
            throw new MissingPropertyException(name, Section.class);
        }

        public void agent(Object ignored) {
        }

        public void options(Closure<?> ignored) {
        }

        public void triggers(Closure<?> ignored) {
        }

        public void parameters(Closure<?> ignored) {
        }

        public void environment(Closure<?> body) {
            delegate(body, new Environment(environment)).call();
        }

        public void stages(Closure<?> body) {
            delegate(body, this).call();
        }

        public void stage(String name, Closure<?> body) {
            Section s = new Section();
            delegate(body, s).call();
            stages.add(new Stage(name, s));
        }

        public void when(Closure<?> body) {
            this.when = body;
        }

        public void steps(Closure<?> body) {
            this.steps = body;
        }

        public void post(Closure<?> body) {
            delegate(body, new Post(post)).call();
        }

        void applyEnvironment(JenkinsStepRecorder recorder) {
            environment.forEach((k, v) -> recorder.envVars().put(k, String.valueOf(v)));
        }
    }

    /** {@code environment { NAME = value }}: an assignment defines a variable; the values are evaluated in order. */
    public static final class Environment extends GroovyObjectSupport {
        private final Map<String, Object> values;

        Environment(Map<String, Object> values) {
            this.values = values;
        }

        @Override
        public void setProperty(String name, Object value) {
            values.put(name, String.valueOf(value));
        }

        @Override
        public Object getProperty(String name) {
            if (values.containsKey(name)) {
                return values.get(name);
            }
            throw new MissingPropertyException(name, Environment.class);
        }
    }

    /** {@code post { always { } failure { } ... }}. */
    public static final class Post extends GroovyObjectSupport {
        private final Map<String, Closure<?>> blocks;

        Post(Map<String, Closure<?>> blocks) {
            this.blocks = blocks;
        }

        public void always(Closure<?> c) {
            blocks.put("always", c);
        }

        public void success(Closure<?> c) {
            blocks.put("success", c);
        }

        public void unstable(Closure<?> c) {
            blocks.put("unstable", c);
        }

        public void failure(Closure<?> c) {
            blocks.put("failure", c);
        }

        public void aborted(Closure<?> c) {
            blocks.put("aborted", c);
        }

        public void cleanup(Closure<?> c) {
            blocks.put("cleanup", c);
        }
    }

    /** {@code when { ... }}: every condition in the block must hold. */
    public static final class When extends GroovyObjectSupport {
        private final JenkinsStepRecorder recorder;
        private final List<Boolean> results = new ArrayList<>();

        When(JenkinsStepRecorder recorder) {
            this.recorder = recorder;
        }

        boolean test(Closure<?> body) {
            delegate(body, this).call();
            return results.stream().allMatch(b -> b);
        }

        public void branch(String pattern) {
            String branch = recorder.envVars().getOrDefault("BRANCH_NAME", "");
            results.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(branch.isEmpty() ? "-" : branch)));
        }

        public void changeRequest() {
            results.add(recorder.envVars().containsKey("CHANGE_ID"));
        }

        public void not(Closure<?> body) {
            results.add(!new When(recorder).test(body));
        }

        public void allOf(Closure<?> body) {
            results.add(new When(recorder).test(body));
        }

        public void anyOf(Closure<?> body) {
            When w = new When(recorder);
            delegate(body, w).call();
            results.add(w.results.stream().anyMatch(b -> b));
        }

        public void expression(Closure<?> body) {
            results.add(DefaultTypeTransformation.castToBoolean(body.call()));
        }

        public void environment(Map<String, Object> args) {
            results.add(String.valueOf(args.get("value")).equals(recorder.envVars().get(String.valueOf(args.get("name")))));
        }
    }
}
