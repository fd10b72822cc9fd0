package io.modelgate.demo;

import io.modelgate.registry.Actor;
import io.modelgate.registry.BuildInfo;
import io.modelgate.registry.Decision;
import io.modelgate.registry.Registry;
import io.modelgate.registry.RegistryConfig;

import java.time.Instant;
import java.util.Optional;

/**
 * Registers the candidate in the embedded Git registry with the gate's verdict, and promotes it
 * to staging, exactly as {@code validate --register} and {@code registry promote} do.
 */
final class RegistryStage implements DemoStage {
    static final String MODEL = "churn";

    @Override
    public String name() {
        return "Register candidate and promote to staging";
    }

    @Override
    public void run(DemoContext c) {
        Actor actor = new Actor("modelgate-demo", BuildInfo.NONE, Instant.now());
        try (Registry registry = Registry.open(c.path(".modelgate/registry").toString(), c.path(".modelgate/cache"),
                RegistryConfig.defaults())) {
            var recorded = registry.recordVerdict(MODEL, Optional.of(c.candidateModel), c.verdict, actor);
            String version = ((Decision.Change) recorded.decision()).event().version();
            c.registeredVersion = version;
            var promoted = registry.promote(MODEL, version, "staging", "", "demo: gate " + c.verdict.status(), actor);
            c.progress.accept("      registered " + MODEL + "@" + version + " (" + c.workdir.relativize(c.candidateModel)
                    + "), recorded its verdict, " + (promoted.applied() ? "promoted it to staging" : "not promoted: "
                    + promoted.decision()));

        }
    }
}
