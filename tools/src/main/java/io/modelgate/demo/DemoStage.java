package io.modelgate.demo;

/** One stage of the demo pipeline; later capabilities add theirs to {@link Demo#stages()}. */
interface DemoStage {
    /** A short name for progress output, as a Jenkins stage would be named. */
    String name();

    void run(DemoContext context) throws java.io.IOException;
}
