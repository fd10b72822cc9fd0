package io.modelgate.rollout;

import java.net.URI;

/** The traffic router a plan names, for running a rollout and for acting on one whose runner is gone. */
public final class Routers {
    private Routers() {
    }

    /** Starts (embedded) or connects to (HAProxy) the plan's router, to run the rollout through it. */
    public static TrafficRouter forPlan(RolloutPlan p) {
        return switch (p.router().type()) {
            case "haproxy" -> new HaproxyRouter(p.router());
            default -> new EmbeddedRouter(URI.create(p.stableUrl()), URI.create(p.canaryUrl()), EmbeddedRouter.Options.defaults(),
                    p.traffic()).start(p.router().port());
        };
    }

    /**
     * The plan's router as seen from another process than its runner's: HAProxy's, whose weights this
     * process can set; or, for the embedded router, which lived in the runner's process and ended with
     * it, a router with no traffic to move.
     */
    public static TrafficRouter fromOutside(RolloutPlan p) {
        if (p.router().type().equals("haproxy")) {
            return new HaproxyRouter(p.router());
        }
        return new TrafficRouter() {
            @Override
            public void setWeights(int stablePercent, int canaryPercent) {
                // nothing routes through a router whose process is gone
            }

            @Override
            public Weights weights() {
                return Weights.ALL_STABLE;
            }

            @Override
            public String describe() {
                return "the embedded router (it ended with its runner)";
            }

            @Override
            public void close() {
            }
        };
    }
}
