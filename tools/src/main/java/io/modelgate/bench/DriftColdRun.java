package io.modelgate.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The drift benchmark's child JVM: a main class of its own, so the child starts cold (no command line,
 * no warmed-up classes); one evaluation of REF against CUR, its figures as one JSON line.
 */
public final class DriftColdRun {
    private DriftColdRun() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println(DriftBenchmark.coldRun(Path.of(args[0]), Path.of(args[1])));
    }
}
