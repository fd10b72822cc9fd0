package io.modelgate.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The judges a plan asks for: its main judge, and its thresholds as a guard beside it. */
public final class Judges {
    private static final Pattern LATENCY = Pattern.compile("latency_p(\\d{1,2}(?:\\.\\d+)?)_ms");

    private Judges() {
    }

    public static List<Judge> forPlan(RolloutPlan plan) {
        RolloutPlan.Analysis a = plan.analysis();
        List<Judge> judges = new ArrayList<>();
        switch (a.judge()) {
            case "sequential" -> {
                RolloutPlan.SequentialSpec q = a.sequential();
                judges.add(q.test().equals(RolloutPlan.SequentialSpec.MSPRT)
                        ? new SequentialJudge(1 - a.confidence(), q.tau(), q.margin())
                        : new RelativeRiskJudge(1 - a.confidence(), q.detectRatio(), q.spread(), q.toleratedRatio()));
            }
            case "mann-whitney" -> judges.add(new MannWhitneyJudge(a.confidence(), 20));
            default -> {
                // the threshold judge alone
            }
        }
        List<ThresholdJudge.MetricThreshold> bounds = new ArrayList<>();
        for (RolloutPlan.ThresholdSpec t : a.thresholds()) {
            String metric = metric(t.metric());
            if (!Double.isNaN(t.max())) {
                bounds.add(new ThresholdJudge.MetricThreshold(metric, ThresholdJudge.Bound.ABSOLUTE, t.max(), true));
            }
            if (!Double.isNaN(t.min())) {
                bounds.add(new ThresholdJudge.MetricThreshold(metric, ThresholdJudge.Bound.ABSOLUTE, t.min(), false));
            }
            if (!Double.isNaN(t.maxIncrease())) {
                bounds.add(new ThresholdJudge.MetricThreshold(metric, ThresholdJudge.Bound.RELATIVE, t.maxIncrease(), true));
            }
        }
        if (!bounds.isEmpty()) {
            // A threshold on a handful of requests is noise: judge from the smallest step minimum on.
            long min = plan.steps().stream().mapToLong(RolloutPlan.Step::minRequests).filter(n -> n > 0).min().orElse(0);
            // the guards may spend half the plan's alpha; the sequential judge is valid at its own alpha
            // and rarely spends it all (bench canary-stats: the default plan as a whole)
            judges.add(new ThresholdJudge(bounds, min, (1 - a.confidence()) / 2));
        }
        if (plan.traffic().mode() == RolloutPlan.Mode.SHADOW && !plan.traffic().score().isEmpty()) {
            // the predictions' test spends its own half of the alpha, as the guards do theirs
            long min = plan.steps().stream().mapToLong(RolloutPlan.Step::minRequests).filter(n -> n > 0).min().orElse(100);
            judges.add(new PredictionJudge((1 - a.confidence()) / 2, plan.traffic().maxPsi(), (int) Math.min(min, 1_000_000)));
        }
        if (judges.isEmpty()) {
            throw new RolloutException(plan.source() + ": analysis.thresholds: the threshold judge needs at least one threshold");
        }
        return judges;
    }

    /** Plan names (error_rate, latency_p99_ms) to the judges' (error-rate, latency-p99); others unchanged. */
    static String metric(String planName) {
        String n = planName.toLowerCase(Locale.ROOT);
        Matcher m = LATENCY.matcher(n);
        if (m.matches()) {
            return "latency-p" + m.group(1);
        }
        return switch (n) {
            case "error_rate" -> ThresholdJudge.ERROR_RATE;
            case "success_rate" -> ThresholdJudge.SUCCESS_RATE;
            default -> planName;
        };
    }
}
