package io.modelgate.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link RegistryWorker} and plain {@code git} as OS processes for the registry ITs. */
final class WorkerProcesses {
    private WorkerProcesses() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A worker JVM with this test run's class path; output goes to files under {@code logs}. */
    static Process worker(Path logs, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto", "-cp", System.getProperty("java.class.path"), RegistryWorker.class.getName()));
        command.addAll(List.of(args));
        Files.createDirectories(logs);
        return new ProcessBuilder(command)
                .redirectOutput(logs.resolve(name + ".out").toFile())
                .redirectError(logs.resolve(name + ".err").toFile())
                .start();
    }

    static String out(Path logs, String name) throws IOException {
        return Files.readString(logs.resolve(name + ".out"), StandardCharsets.UTF_8);
    }

    static String err(Path logs, String name) throws IOException {
        return Files.readString(logs.resolve(name + ".err"), StandardCharsets.UTF_8);
    }

    record Result(int code, String out) {
    }

    /** Runs a command to the end (at most {@code seconds}) and returns its exit code and merged output. */
    static Result run(Path dir, long seconds, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "cmd", ".out");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
