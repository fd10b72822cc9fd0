package io.modelgate.rollout;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanReaderTest {
    private static RolloutPlan parse(String yaml) {
        return PlanReader.parse("plan.yaml", yaml);
    }

    private static void rejects(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(RolloutException.class).hasMessage(message);
    }

    @Test
    void aTwoLinePlanGetsSafeDefaults() {
        RolloutPlan p = parse("stable: http://127.0.0.1:8081\ncanary: http://127.0.0.1:8082\n");
        assertThat(p.router().type()).isEqualTo("embedded");
        assertThat(p.metrics().type()).isEqualTo("embedded");
        assertThat(p.steps()).extracting(RolloutPlan.Step::weight).containsExactly(10, 25, 50, 100);
        assertThat(p.analysis().judge()).isEqualTo("sequential");
        assertThat(p.analysis().inconclusive()).isEqualTo(RolloutPlan.OnInconclusive.PAUSE);
        assertThat(p.analysis().thresholds()).extracting(RolloutPlan.ThresholdSpec::metric)
                .containsExactly("error_rate", "latency_p99_ms");
    }

    @Test
    void readsAFullPlan() {
        RolloutPlan p = parse("""
                version: 1
                model: churn
                canary_version: v0.0.2
                promote_to: production
                stable: http://10.0.0.5:8080
                canary: https://canary.internal/predict
                router: {type: haproxy, socket: /run/haproxy/admin.sock, backend: model}
                metrics:
                  provider: prometheus
                  url: http://127.0.0.1:9090
                  queries:
                    error_rate: 'sum(rate(model_requests_total{code="500",instance="{{target}}"}[1m]))'
                steps:
                  - {weight: 5, bake: 30s, min_requests: 50}
                  - 50
                  - {weight: 100}
                analysis:
                  interval: 5s
                  judge: threshold
                  confidence: 0.98
                  failure_limit: 1
                  inconclusive: rollback
                  thresholds:
                    error_rate: {max: 0.02, max_increase: 0.5}
                """);
        assertThat(p.router().socket()).isEqualTo("/run/haproxy/admin.sock");
        assertThat(p.router().stableServer()).isEqualTo("stable");
        assertThat(p.metrics().queries()).containsKey("error_rate");
        assertThat(p.steps()).containsExactly(new RolloutPlan.Step(5, Duration.ofSeconds(30), 50),
                new RolloutPlan.Step(50, Duration.ofMinutes(1), 100), new RolloutPlan.Step(100, Duration.ZERO, 0));
        assertThat(p.analysis().confidence()).isEqualTo(0.98);
        assertThat(p.analysis().thresholds().get(0).maxIncrease()).isEqualTo(0.5);
        assertThat(p.promoteTo()).isEqualTo("production");
    }

    @Test
    void plansThatCanNeverWorkAreRefusedWhenRead() {
        String urls = "stable: http://a:1\ncanary: http://b:2\n";
        rejects("stable: http://a:1/\ncanary: http://A:1\n",
                "plan.yaml: canary: is the stable version's URL too; a canary is judged against another server");
        rejects(urls + "analysis: {thresholds: {eror_rate: {max: 0.01}}}",
                "plan.yaml: analysis.thresholds.eror_rate: is not measured by the embedded router (the plan's metrics source)"
                        + " (did you mean 'error_rate'?); it measures error_rate, success_rate, latency_p50_ms, latency_p95_ms,"
                        + " latency_p99_ms and any latency_pNN_ms");
        rejects(urls + "analysis: {thresholds: {error_rate: {min: 0.5, max: 0.1}}}",
                "plan.yaml: analysis.thresholds.error_rate.min: is above max (0.5 > 0.1): no value can meet both");
        String haproxy = urls + "router: {type: haproxy, socket: /run/haproxy.sock, backend: model}\n";
        rejects(haproxy + "analysis: {thresholds: {latency_p99_ms: {max: 500}}}",
                "plan.yaml: analysis.thresholds.latency_p99_ms: is not measured by HAProxy's counters (the plan's metrics"
                        + " source) (did you mean 'latency_avg_ms'?); it measures error_rate, success_rate, latency_avg_ms, total_time_avg_ms");
        rejects(haproxy + "analysis: {judge: mann-whitney}",
                "plan.yaml: analysis.judge: mann-whitney compares per-request latencies, which HAProxy's counters does not"
                        + " have (only the embedded router does); use sequential or threshold");
        // the defaults guard what the source measures: no latency bound HAProxy could never feed
        assertThat(parse(haproxy).analysis().thresholds()).extracting(RolloutPlan.ThresholdSpec::metric)
                .containsExactly("error_rate");
        String prometheus = urls + "metrics: {provider: prometheus, url: http://p:9090, queries: "
                + "{gpu_ms: 'avg(gpu{t=\"{{target}}\"})'}}\n";
        assertThat(parse(prometheus + "analysis: {thresholds: {gpu_ms: {max: 9}, latency_p99_ms: {max: 300}}}")
                .analysis().thresholds()).hasSize(2);
        rejects(prometheus + "analysis: {thresholds: {latency_p95_ms: {max: 300}}}",
                "plan.yaml: analysis.thresholds.latency_p95_ms: is not measured by Prometheus (the plan's metrics source)"
                        + " (did you mean 'latency_p99_ms'?); it measures error_rate, success_rate, gpu_ms, latency_p99_ms and"
                        + " the plan's metrics.queries");
    }

    @Test
    void badPlansNameTheField() {
        String urls = "stable: http://a:1\ncanary: http://b:2\n";
        rejects(urls + "router: {type: istio}", "plan.yaml: router.type: must be 'embedded' or 'haproxy', found 'istio'");
        rejects(urls + "steps: [{weight: 120}]", "plan.yaml: steps[1].weight: must be a whole number from 0 to 100, found '120'");
        rejects(urls + "steps: [{weight: 10, bake: -5s}]", "plan.yaml: steps[1].bake: must not be negative, found '-5s'");
        rejects(urls + "steps: [50, 20]", "plan.yaml: steps[2].weight: 20 is below the previous step's 50; steps only go up");
        rejects(urls + "analysis: {judge: coinflip}",
                "plan.yaml: analysis.judge: must be 'threshold', 'mann-whitney' or 'sequential', found 'coinflip'");
        rejects(urls + "analysis: {inconclusive: shrug}", "plan.yaml: analysis.inconclusive: must be 'pause', 'rollback' or 'continue', "
                + "found 'shrug'");
        rejects(urls + "stepz: []", "plan.yaml: stepz: unknown key 'stepz' (did you mean 'steps'?); allowed: analysis, canary, canary_version, metrics, "
                + "model, promote_to, router, stable, steps, traffic, version");
        rejects("canary: http://b:2\n", "plan.yaml: stable: required: the URL of the stable version, e.g. http://10.0.0.5:8080");
        rejects("stable: ftp://a\ncanary: http://b:2\n", "plan.yaml: stable: 'ftp://a' is not an http(s) URL");
        rejects(urls + "metrics: {provider: prometheus, url: 'http://p:9090', queries: {e: 'up'}}",
                "plan.yaml: metrics.queries.e: a query must contain {{target}}, which stands for the stable or the canary target");
        rejects(urls + "router: {type: haproxy, backend: b}", "plan.yaml: router.socket: required for the haproxy router");
    }

    @Test
    void theSequentialJudgeDefaultsToTheRelativeRiskTest() {
        RolloutPlan p = parse("stable: http://a:1\ncanary: http://b:2\n");
        assertThat(p.analysis().sequential()).isEqualTo(RolloutPlan.SequentialSpec.DEFAULT);
        assertThat(Judges.forPlan(p).get(0)).isEqualTo(new RelativeRiskJudge(1 - 0.95, 2, 0.2, 1.5));
    }

    @Test
    void readsTheSequentialJudgesTuning() {
        RolloutPlan p = parse("""
                stable: http://a:1
                canary: http://b:2
                analysis:
                  confidence: 0.99
                  sequential: {detect_ratio: 1.5, spread: 0, tolerated_ratio: 1.25}
                """);
        assertThat(Judges.forPlan(p).get(0)).isEqualTo(new RelativeRiskJudge(1 - 0.99, 1.5, 0, 1.25));
        RolloutPlan m = parse("""
                stable: http://a:1
                canary: http://b:2
                steps: [{weight: 20, bake: 5m}, 100]
                analysis: {sequential: {test: msprt, tau: 0.02, margin: 0.01}}
                """);
        assertThat(Judges.forPlan(m).get(0)).isEqualTo(new SequentialJudge(1 - 0.95, 0.02, 0.01));
        // with stepped weights msprt's false rollbacks are not bounded (18.8% A/A at 5%): refused
        rejects("stable: http://a:1\ncanary: http://b:2\nanalysis: {sequential: {test: msprt}}",
                "plan.yaml: analysis.sequential.test: msprt assumes one traffic split, but the steps have 3 (its false "
                        + "rollbacks are not bounded then); use relative-risk, the default, which is valid under any weights, "
                        + "or one step below 100");
        assertThat(parse("stable: http://a:1\ncanary: http://b:2\nanalysis: {early_success: {min_weight: 25}}")
                .analysis().earlySuccessMinWeight()).isEqualTo(25);
        assertThat(parse("stable: http://a:1\ncanary: http://b:2\n").analysis().earlySuccessMinWeight()).isEqualTo(50);
        rejects("stable: http://a:1\ncanary: http://b:2\nanalysis: {early_success: {min_weight: 120}}",
                "plan.yaml: analysis.early_success.min_weight: must be a whole number from 0 to 100, found '120'");
    }

    @Test
    void badSequentialTuningNamesTheField() {
        String urls = "stable: http://a:1\ncanary: http://b:2\n";
        rejects(urls + "analysis: {sequential: {detect_ratio: 1}}", "plan.yaml: analysis.sequential.detect_ratio: must be "
                + "above 1 and at most 1000 (2 = twice the stable error rate), found 1");
        rejects(urls + "analysis: {sequential: {detect_ratio: two}}",
                "plan.yaml: analysis.sequential.detect_ratio: must be a number, found 'two'");
        rejects(urls + "analysis: {sequential: {spread: -0.5}}", "plan.yaml: analysis.sequential.spread: must be from 0 "
                + "to 2 (0.2 is the default; 0 tests detect_ratio alone), found -0.5");
        rejects(urls + "analysis: {sequential: {tolerated_ratio: 0.8}}", "plan.yaml: analysis.sequential.tolerated_ratio: "
                + "must be above 1 and at most 1000 (1.5 = half as many errors again as stable), found 0.8");
        rejects(urls + "analysis: {sequential: {test: bayes}}",
                "plan.yaml: analysis.sequential.test: must be 'relative-risk' or 'msprt', found 'bayes'");
        rejects(urls + "analysis: {sequential: {tau: 0.01}}",
                "plan.yaml: analysis.sequential.tau: applies to test msprt only, but test is 'relative-risk'");
        rejects(urls + "analysis: {sequential: {test: msprt, spread: 0.1}}",
                "plan.yaml: analysis.sequential.spread: applies to test relative-risk only, but test is 'msprt'");
        rejects(urls + "analysis: {sequential: {test: msprt, tau: 0}}", "plan.yaml: analysis.sequential.tau: must be "
                + "between 0 and 1, in error-rate units (0.01 = one percentage point), found 0");
        rejects(urls + "analysis: {judge: threshold, sequential: {spread: 0.1}}",
                "plan.yaml: analysis.sequential: tunes the sequential judge, but analysis.judge is 'threshold'");
        rejects(urls + "analysis: {sequential: {alpha: 0.1}}", "plan.yaml: analysis.sequential.alpha: unknown key 'alpha'; "
                + "allowed: detect_ratio, margin, spread, tau, test, tolerated_ratio");
    }

    @Test
    void durationsAreBoundedAndNeverNegative() {
        String urls = "stable: http://a:1\ncanary: http://b:2\n";
        rejects(urls + "steps: [{weight: 10, bake: PT-10S}]", "plan.yaml: steps[1].bake: must not be negative, found 'PT-10S'");
        rejects(urls + "steps: [{weight: 10, bake: -PT10S}]", "plan.yaml: steps[1].bake: must not be negative, found '-PT10S'");
        rejects(urls + "steps: [{weight: 10, bake: -3}]", "plan.yaml: steps[1].bake: must not be negative, found '-3'");
        rejects(urls + "analysis: {interval: PT-1S}", "plan.yaml: analysis.interval: must not be negative, found 'PT-1S'");
        // Huge values: one line naming the field and the documented maximum, never an ArithmeticException.
        for (String huge : new String[]{"PT99999999999H", "PT9999999999999999H", "P106751991167301D", "99999999999999999999h",
                "P31D", "721h", "2592000001ms"}) {
            rejects(urls + "steps: [{weight: 10, bake: " + huge + "}]",
                    "plan.yaml: steps[1].bake: '" + huge + "' is longer than the maximum of 30 days");
        }
        rejects(urls + "steps: [{weight: 10, bake: 1e300}]", "plan.yaml: steps[1].bake: '1.0E300' is longer than the maximum of 30 days");
        rejects(urls + "analysis: {interval: P8D}", "plan.yaml: analysis.interval: 'P8D' is longer than the maximum of 7 days");
        rejects(urls + "analysis: {interval: 0s}", "plan.yaml: analysis.interval: must be longer than 0 (at least 1ms)");
        rejects(urls + "analysis: {interval: 0.2ms}", "plan.yaml: analysis.interval: must be longer than 0 (at least 1ms)");
        // The maxima themselves are allowed.
        RolloutPlan p = parse(urls + "steps: [{weight: 10, bake: P30D}, {weight: 100}]\nanalysis: {interval: 168h}");
        assertThat(p.steps().get(0).bake()).isEqualTo(PlanReader.MAX_BAKE);
        assertThat(p.analysis().interval()).isEqualTo(PlanReader.MAX_INTERVAL);
    }

    @Test
    void metricAndRegistryNamesWithControlCharactersAreRefused() {
        String urls = "stable: http://a:1\ncanary: http://b:2\n";
        assertThatThrownBy(() -> parse(urls + "analysis: {thresholds: {\"error_rate\\e[2J\": {max: 0.1}}}"))
                .isInstanceOf(RolloutException.class)
                .hasMessageStartingWith("plan.yaml: analysis.thresholds: metric name 'error_rate\\u001b[2J' contains a control character");
        assertThatThrownBy(() -> parse(urls + "metrics: {provider: prometheus, url: 'http://p:9090', "
                + "queries: {\"q\\nx\": 'up{t=\"{{target}}\"}'}}"))
                .isInstanceOf(RolloutException.class).hasMessageStartingWith("plan.yaml: metrics.queries: metric name 'q\\nx'");
        assertThatThrownBy(() -> parse(urls + "model: \"churn\\nModelgate-Event: x\"\ncanary_version: v1.0.0\n"))
                .isInstanceOf(RolloutException.class).hasMessageStartingWith("plan.yaml: model 'churn\\nModelgate-Event: x'");
    }

    @Test
    void aPasswordInABadUrlIsHiddenWhole() {
        assertThatThrownBy(() -> parse("stable: 'ftp://u:p@ss:w%40rd@a'\ncanary: http://b:2\n"))
                .isInstanceOf(RolloutException.class).hasMessage("plan.yaml: stable: 'ftp://***@a' is not an http(s) URL");
    }

    private static final String URLS = "stable: http://127.0.0.1:8081\ncanary: http://127.0.0.1:8082\n";

    @Test
    void aShadowPlanComparesPredictionsBesidesTheGuards() {
        RolloutPlan p = parse(URLS + "traffic: {mode: shadow, score: /predictions/0, max_psi: 0.2}\n");
        assertThat(p.traffic()).isEqualTo(new RolloutPlan.Traffic(RolloutPlan.Mode.SHADOW, "", "", "/predictions/0", 0.2));
        assertThat(Judges.forPlan(p)).hasAtLeastOneElementOfType(PredictionJudge.class).hasAtLeastOneElementOfType(
                ThresholdJudge.class);
        // without a pointer there is no prediction to compare: errors and latency only
        assertThat(Judges.forPlan(parse(URLS + "traffic: {mode: shadow}\n"))).noneMatch(j -> j instanceof PredictionJudge);
        assertThat(parse(URLS).traffic()).isEqualTo(RolloutPlan.Traffic.CANARY);
    }

    @Test
    void anAbPlanNamesItsClientsByAHeaderOrACookieAndItsBusinessMetricIsJudgedWithoutServerGuards() {
        RolloutPlan byHeader = parse(URLS + "traffic: {mode: ab, header: X-User-Id}\n");
        assertThat(byHeader.traffic().clientKey()).isEqualTo("header X-User-Id");
        assertThat(byHeader.analysis().thresholds()).extracting(RolloutPlan.ThresholdSpec::metric).contains("error_rate");
        RolloutPlan business = parse(URLS + """
                metrics: {provider: prometheus, url: http://127.0.0.1:9090}
                traffic:
                  mode: ab
                  cookie: uid
                  trials: sum(checkouts_total{variant="{{target}}"})
                  failures: sum(checkouts_total{variant="{{target}}"}) - sum(purchases_total{variant="{{target}}"})
                """);
        assertThat(business.traffic().clientKey()).isEqualTo("cookie uid");
        assertThat(business.metrics().queries()).containsEntry("requests", "sum(checkouts_total{variant=\"{{target}}\"})")
                .containsKey("errors");
        assertThat(business.analysis().thresholds()).isEmpty();
        assertThat(Judges.forPlan(business)).singleElement().isInstanceOf(RelativeRiskJudge.class);
    }

    @Test
    void trafficKeysAreCheckedAgainstTheModeAndTheRouter() {
        rejects(URLS + "traffic: {mode: mirror}\n", "plan.yaml: traffic.mode: must be 'canary', 'shadow' or 'ab', found 'mirror'");
        rejects(URLS + "traffic: {mode: ab}\n", "plan.yaml: traffic: mode ab needs exactly one of header or cookie: what "
                + "names a client, so that all its requests go to one side");
        rejects(URLS + "traffic: {mode: ab, header: a, cookie: b}\n", "plan.yaml: traffic: mode ab needs exactly one of "
                + "header or cookie: what names a client, so that all its requests go to one side");
        rejects(URLS + "traffic: {mode: ab, header: 'X User'}\n", "plan.yaml: traffic.header: must be a header name "
                + "(letters, digits and !#$%&'*+.^_`|~-), found 'X User'");
        rejects(URLS + "traffic: {mode: shadow, header: X-User}\n", "plan.yaml: traffic.header: applies to mode ab only, "
                + "but traffic.mode is 'shadow'");
        rejects(URLS + "traffic: {score: /score}\n", "plan.yaml: traffic.score: applies to mode shadow only, but "
                + "traffic.mode is 'canary'");
        rejects(URLS + "traffic: {mode: shadow, score: score}\n", "plan.yaml: traffic.score: is a JSON pointer to the "
                + "prediction in a response body, e.g. /score or /predictions/0, found 'score'");
        rejects(URLS + "traffic: {mode: shadow, max_psi: 0.2}\n", "plan.yaml: traffic.max_psi: bounds the predictions' "
                + "shift, but traffic.score (where a response holds its prediction) is not set");
        rejects(URLS + "traffic: {mode: shadow, score: /s, max_psi: 0}\n", "plan.yaml: traffic.max_psi: must be above 0 "
                + "and at most 10 (0.1 is Evidently's drift threshold), found 0");
        rejects(URLS + "router: {type: haproxy, socket: /x.sock, backend: b}\ntraffic: {mode: shadow}\n",
                "plan.yaml: traffic.mode: the haproxy router splits by weight only (it has no mirroring, and per-client "
                        + "assignment would need a map in its configuration); use the embedded or the nginx router");
        rejects(URLS + "traffic: {mode: ab, header: u, trials: 'sum(x{t=\"{{target}}\"})'}\n", "plan.yaml: "
                + "traffic.failures: required with traffic.trials: the business metric is failures out of trials, e.g. "
                + "checkouts without a purchase out of checkouts");
        rejects(URLS + "traffic: {mode: ab, header: u, trials: 'sum(x)', failures: 'sum(y)'}\n", "plan.yaml: "
                + "traffic.trials: a query must contain {{target}}, which stands for the stable or the canary target");
        rejects(URLS + "traffic: {mode: ab, header: u, trials: 'x{t=\"{{target}}\"}', failures: 'y{t=\"{{target}}\"}'}\n",
                "plan.yaml: traffic.trials: is a Prometheus query, but metrics.provider is 'embedded'; set "
                        + "metrics.provider: prometheus and metrics.url");
    }
}
