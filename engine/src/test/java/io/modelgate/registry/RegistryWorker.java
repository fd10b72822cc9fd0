package io.modelgate.registry;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A separate OS process that changes one model through the Registry Java API, started by the
 * concurrency and crash ITs with the test class path.
 *
 * <pre>
 * RegistryWorker mix  LOCATION CACHE MODEL VERSIONS OPS SEED NAME   random promote/rollback; prints counts
 * RegistryWorker loop LOCATION CACHE MODEL VERSIONS                 promotes to staging until killed
 * RegistryWorker once LOCATION CACHE MODEL VERSION STAGE            one promotion; prints the outcome and ms
 * RegistryWorker register LOCATION CACHE MODEL VERSIONS ARTIFACT     registers v0.0.1 to v0.0.VERSIONS
 * RegistryWorker create LOCATION CACHE MODEL GO ARTIFACT             prints "ready", waits for the file GO to
 *                                                                   exist, then opens the registry (creating it
 *                                                                   or its cache) and registers MODEL once
 * </pre>
 *
 * The last line of {@code mix} is {@code applied=A unchanged=U refused=R failed=F}: the changes the
 * registry recorded for this worker, promotions that found the version already in the stage,
 * promotions refused by the rules, and rollbacks that found nothing to roll back.
 */
final class RegistryWorker {
    private RegistryWorker() {
    }

    /** Stages staging and production, one version each, no promotion rules. */
    static RegistryConfig config() {
        Map<String, Integer> stages = new LinkedHashMap<>();
        stages.put("staging", 1);
        stages.put("production", 1);
        return new RegistryConfig(stages, "archived", Map.of(), false);
    }

    static String version(int i) {
        return "v0.0." + i;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String location = args[1];
        Path cache = Path.of(args[2]);
        String model = args[3];
        if (mode.equals("create")) {
            create(location, cache, model, Path.of(args[4]), Path.of(args[5]));
            return;
        }
        try (Registry r = Registry.open(location, cache, config())) {
            switch (mode) {
                case "mix" -> mix(r, model, Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                        Long.parseLong(args[6]), args[7]);
                case "register" -> {
                    for (int i = 1; i <= Integer.parseInt(args[4]); i++) {
                        r.register(new Registry.Registration(model, Path.of(args[5]), "", version(i), "patch", "", Map.of()),
                                actor("setup"));
                    }
                }
                case "loop" -> loop(r, model, Integer.parseInt(args[4]));
                case "once" -> {
                    long t0 = System.nanoTime();
                    Registry.Outcome o = r.promote(model, args[4], args[5], "", "after a crash", actor("once"));
                    System.out.println("decision=" + o.decision().getClass().getSimpleName() + " ms="
                            + (System.nanoTime() - t0) / 1_000_000);
                }
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
        }
    }

    /** Every creator starts at the same moment: when the test makes GO, after all of them said ready. */
    private static void create(String location, Path cache, String model, Path go, Path artifact) throws Exception {
        System.out.println("ready");
        System.out.flush();
        while (!java.nio.file.Files.exists(go)) {
            Thread.onSpinWait();
        }
        try (Registry r = Registry.open(location, cache, config())) {
            Registry.Outcome o = r.register(new Registry.Registration(model, artifact, "", "", "patch", "", Map.of()),
                    actor(model));
            System.out.println("registered=" + o.applied());
        }
    }

    private static Actor actor(String name) {
        return new Actor(name, BuildInfo.NONE, Instant.now());
    }

    private static void mix(Registry r, String model, int versions, int ops, long seed, String name) {
        Random random = new Random(seed);
        int applied = 0;
        int unchanged = 0;
        int refused = 0;
        int failed = 0;
        for (int i = 0; i < ops; i++) {
            int dice = random.nextInt(11);
            Registry.Outcome o;
            try {
                if (dice < 10) {
                    String stage = dice < 5 ? "staging" : "production";
                    o = r.promote(model, promotable(r, model, versions, random), stage, "", name + " op " + i,
                            actor(name));
                } else {
                    o = r.rollback(model, "production", Optional.empty(), name + " op " + i, actor(name));
                }
            } catch (RegistryException e) {
                if (e.getMessage().contains("to roll back") || e.getMessage().contains("not itself rolled back")) {
                    failed++;
                    continue;
                }
                throw e;
            }
            if (o.applied()) {
                applied++;
            } else if (o.refused()) {
                refused++;
            } else {
                unchanged++;
            }
        }
        System.out.println("applied=" + applied + " unchanged=" + unchanged + " refused=" + refused + " failed=" + failed);
    }

    /**
     * A random version not rolled back yet (a rolled-back version needs a new verdict before it may be
     * promoted again); another worker may still roll it back before this one promotes it, which the
     * registry then refuses.
     */
    private static String promotable(Registry r, String model, int versions, Random random) {
        String v = version(1 + random.nextInt(versions));
        for (int tries = 0; tries < 20 && !r.version(model, v).rejections().isEmpty(); tries++) {
            v = version(1 + random.nextInt(versions));
        }
        return v;
    }

    private static void loop(Registry r, String model, int versions) {
        List<String> all = java.util.stream.IntStream.rangeClosed(1, versions).mapToObj(RegistryWorker::version).toList();
        boolean started = false;
        for (long i = 0; ; i++) {
            Registry.Outcome o = r.promote(model, all.get((int) (i % all.size())), i % 3 == 0 ? "production" : "staging",
                    "", "loop " + i, actor("looper"));
            // After the first change recorded (a promotion of the version already in the stage records none),
            // so that the JVM is warm when killed and a kill always follows at least one change.
            if (!started && o.applied()) {
                started = true;
                System.out.println("started");
                System.out.flush();
            }
        }
    }
}
