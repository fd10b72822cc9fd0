package io.modelgate.rollout;

import io.modelgate.common.ModelgateException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HAProxy router without HAProxy: a recorded {@code show stat}, commands, and errors from a fake socket. */
@Timeout(30)
class HaproxyRouterTest {

    /**
     * {@code show stat} of HAProxy 2.6.12 after 10 requests at weights 50/50, the canary answering
     * 500 to everything (front end and back end lines included, as a plain {@code show stat} gives).
     */
    static final String SHOW_STAT = """
            # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,
            fe,FRONTEND,,,0,1,9986,10,1730,1217,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,10,0,10,,,,0,7,0,0,3,0,,10,10,10,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,10,10,10,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,10,10,1970,1187,0,0,
            model,stable,0,0,0,1,,7,1211,812,,0,,0,0,0,0,no check,100,1,0,,,1,,,1,3,1,,7,,2,7,,7,,,,0,7,0,0,0,0,,,,7,0,0,,,,,0,,,0,0,2,2,,,,,,,,,,,,127.0.0.1:18081,,http,,,,,,,,0,7,0,,,0,,0,0,4,4,0,0,0,0,1,100,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            model,canary,0,0,0,1,,3,519,405,,0,,0,0,0,0,no check,50,1,0,,,1,,,1,3,2,,3,,2,3,,3,,,,0,0,0,0,3,0,,,,3,0,0,,,,,0,,,0,0,1,1,,,,,,,,,,,,127.0.0.1:18082,,http,,,,,,,,0,3,0,,,0,,0,0,1,1,0,0,0,0,1,50,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
            model,BACKEND,0,0,0,1,999,10,1730,1217,0,0,,0,0,0,0,UP,150,2,0,,0,1,0,,1,3,0,,10,,1,10,,10,,,,0,7,0,0,3,0,,,,10,0,0,0,0,0,0,0,,,0,0,1,2,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,10,0,0,0,,,0,0,4,4,0,,,,,150,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,10,10,1187,1780,0,0,

            """;

    /** Recorded after 6 requests: the stable server closed every connection (eresp), the canary refused them (econ, 3 retries). */
    static final String SHOW_STAT_FAILURES = """
            # pxname,svname,stot,econ,eresp,wretr,hrsp_2xx,hrsp_5xx,req_tot,rtime,ttime,status
            model,stable,5,0,5,0,0,0,0,0,0,no check
            model,canary,4,1,0,3,0,0,0,0,0,no check
            """;

    @TempDir
    Path dir;
    private FakeSocket fake;

    @AfterEach
    void stop() throws IOException {
        if (fake != null) {
            fake.close();
        }
    }

    private static RolloutPlan.RouterSpec spec(String socket) {
        return new RolloutPlan.RouterSpec("haproxy", 0, socket, "model", "stable", "canary");
    }

    @Test
    void readsRequestsAndErrorsPerServerByColumnName() {
        Map<String, HaproxyStats> servers = HaproxyStats.parse(SHOW_STAT, "model");
        assertThat(servers).containsOnlyKeys("stable", "canary");
        assertThat(servers.get("stable").counts()).isEqualTo(new Counts(7, 0));
        assertThat(servers.get("canary").counts()).isEqualTo(new Counts(3, 3));
        assertThat(servers.get("stable").responseTimeMs()).isEqualTo(2.0);
        assertThat(servers.get("canary").totalTimeMs()).isEqualTo(1.0);
        assertThat(servers.get("canary").status()).isEqualTo("no check");
        assertThat(HaproxyStats.parse(SHOW_STAT, "other")).isEmpty();
    }

    @Test
    void countsConnectionAndResponseFailuresAsErroredRequests() {
        Map<String, HaproxyStats> servers = HaproxyStats.parse(SHOW_STAT_FAILURES, "model");
        assertThat(servers.get("stable").counts()).isEqualTo(new Counts(5, 5));
        assertThat(servers.get("canary").counts()).as("retries are not requests").isEqualTo(new Counts(1, 1));
    }

    @Test
    void fallsBackToSessionsInTcpMode() {
        String tcp = "# pxname,svname,stot,econ,eresp,hrsp_5xx,req_tot,rtime,ttime,status\nmodel,stable,40,1,0,,,3,9,UP\n";
        assertThat(HaproxyStats.parse(tcp, "model").get("stable").counts()).isEqualTo(new Counts(40, 1));
    }

    @Test
    void rejectsAnAnswerThatIsNoStatCsv() {
        assertThatThrownBy(() -> HaproxyStats.parse("No such proxy.\n\n", "model"))
                .isInstanceOfSatisfying(RolloutException.class, e -> assertThat(e.kind()).isEqualTo(Kind.EXTERNAL))
                .hasMessage("HAProxy answered 'show stat' with 'No such proxy.'");
        assertThatThrownBy(() -> HaproxyStats.parse("# pxname,svname,stot\nmodel,stable,1\n", "model"))
                .hasMessageStartingWith("HAProxy's 'show stat' has no column econ");
    }

    @Test
    void setsTheRisingWeightFirst() {
        HaproxyRouter router = new HaproxyRouter(spec(dir.resolve("admin.sock").toString()));
        assertThat(router.weightCommand(new Weights(80, 20)))
                .isEqualTo("set weight model/stable 80; set weight model/canary 20");
        assertThat(router.weightCommand(new Weights(0, 100)))
                .isEqualTo("set weight model/canary 100; set weight model/stable 0");
        assertThat(router.weightCommand(new Weights(50, 50)))
                .isEqualTo("set weight model/canary 50; set weight model/stable 50");
    }

    @Test
    void convertsHaproxyWeightsToPercentages() {
        HaproxyRouter router = new HaproxyRouter(spec(dir.resolve("admin.sock").toString()));
        assertThat(router.parseWeight("50 (initial 0)\n\n", "get weight model/canary")).isEqualTo(50);
        assertThat(router.weightsOf(80, 20)).isEqualTo(new Weights(80, 20));
        assertThat(router.weightsOf(1, 1)).isEqualTo(new Weights(50, 50));
        assertThat(router.weightsOf(256, 0)).isEqualTo(Weights.ALL_STABLE);
        assertThatThrownBy(() -> router.weightsOf(0, 0)).isInstanceOfSatisfying(RolloutException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.EXTERNAL)).hasMessageContaining("both have weight 0");
    }

    @Test
    void rejectsBadSpecsAsBadInput() {
        assertThatThrownBy(() -> new HaproxyRouter(spec("")))
                .isInstanceOfSatisfying(RolloutException.class, e -> assertThat(e.kind()).isEqualTo(Kind.BAD_INPUT))
                .hasMessageStartingWith("router.socket");
        assertThatThrownBy(() -> new HaproxyRouter(new RolloutPlan.RouterSpec("haproxy", 0, "/x.sock", "model",
                "stable; clear counters all", "canary"))).hasMessageStartingWith("router.stable_server");
        assertThatThrownBy(() -> new HaproxyRouter(new RolloutPlan.RouterSpec("haproxy", 0, "/x.sock", "model",
                "same", "same"))).hasMessageContaining("must differ");
        assertThatThrownBy(() -> new HaproxyRouter(spec("localhost:99999"))).hasMessageStartingWith("router.socket");
    }

    @Test
    void describesItsBackendAndSocket() {
        assertThat(new HaproxyRouter(spec("/tmp/x/admin.sock")).describe())
                .isEqualTo("HAProxy backend model via /tmp/x/admin.sock");
        assertThat(new HaproxyRouter(spec("127.0.0.1:9999")).describe())
                .isEqualTo("HAProxy backend model via 127.0.0.1:9999");
    }

    @Test
    void aSocketNobodyListensOnIsAnExternalFailureNamingIt() {
        String socket = dir.resolve("admin.sock").toString();
        HaproxyRouter router = new HaproxyRouter(spec(socket));
        assertThatThrownBy(() -> router.setWeights(80, 20))
                .isInstanceOfSatisfying(RolloutException.class, e -> assertThat(e.kind()).isEqualTo(Kind.EXTERNAL))
                .hasMessageStartingWith("HAProxy runtime API at " + socket + " does not answer: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(router::observe).hasMessageStartingWith("HAProxy runtime API at " + socket + " does not answer");
    }

    @Test
    void aSilentSocketTimesOut() throws IOException {
        fake = new FakeSocket(dir.resolve("admin.sock"), command -> null);
        HaproxyRouter router = new HaproxyRouter(spec(fake.path.toString()), Duration.ofMillis(300));
        assertThatThrownBy(router::weights).isInstanceOfSatisfying(RolloutException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.EXTERNAL))
                .hasMessage("HAProxy runtime API at " + fake.path + " does not answer: no answer within 300 ms");
    }

    @Test
    void sendsWeightsAndReadsThemBack() throws IOException {
        fake = new FakeSocket(dir.resolve("admin.sock"), command -> command.startsWith("get weight model/canary")
                ? "20 (initial 0)\n\n" : command.startsWith("get weight") ? "80 (initial 100)\n\n" : "\n\n");
        HaproxyRouter router = new HaproxyRouter(spec(fake.path.toString()));
        router.setWeights(80, 20);
        assertThat(router.weights()).isEqualTo(new Weights(80, 20));
        assertThat(fake.commands).containsExactly("set weight model/stable 80; set weight model/canary 20",
                "get weight model/stable", "get weight model/canary");
    }

    @Test
    void unknownBackendsAndServersAreExternalFailuresWithHaproxysWords() throws IOException {
        fake = new FakeSocket(dir.resolve("admin.sock"), command -> command.startsWith("show stat")
                ? "No such proxy.\n\n" : command.contains("canary") ? "\nNo such server.\n\n" : "\n");
        HaproxyRouter router = new HaproxyRouter(spec(fake.path.toString()));
        assertThatThrownBy(() -> router.setWeights(80, 20))
                .isInstanceOfSatisfying(RolloutException.class, e -> assertThat(e.kind()).isEqualTo(Kind.EXTERNAL))
                .hasMessage("HAProxy runtime API at " + fake.path
                        + " refused 'set weight model/stable 80; set weight model/canary 20': No such server.");
        assertThatThrownBy(router::reset)
                .isInstanceOfSatisfying(RolloutException.class, e -> assertThat(e.kind()).isEqualTo(Kind.EXTERNAL))
                .hasMessage("HAProxy runtime API at " + fake.path + " refused 'show stat model 4 -1': No such proxy.");
    }

    @Test
    void aBackendWithoutTheCanaryServerIsAnExternalFailure() throws IOException {
        String onlyStable = SHOW_STAT.lines().filter(l -> !l.startsWith("model,canary")).reduce("", (a, b) -> a + b + "\n");
        fake = new FakeSocket(dir.resolve("admin.sock"), command -> onlyStable);
        HaproxyRouter router = new HaproxyRouter(spec(fake.path.toString()));
        assertThatThrownBy(router::observe)
                .hasMessage("HAProxy backend model via " + fake.path + ": the backend has no server canary (servers: stable)");
    }

    @Test
    void countsFromTheBaselineTakenAtReset() throws IOException {
        List<String> answers = new CopyOnWriteArrayList<>(List.of(SHOW_STAT, SHOW_STAT.replace(
                "model,canary,0,0,0,1,,3,519,405,,0,,0,0,0,0,no check,50,1,0,,,1,,,1,3,2,,3,,2,3,,3,,,,0,0,0,0,3,0,,,,3,",
                "model,canary,0,0,0,1,,9,519,405,,0,,0,0,0,0,no check,50,1,0,,,1,,,1,3,2,,9,,2,9,,9,,,,0,4,0,0,5,0,,,,9,")));
        fake = new FakeSocket(dir.resolve("admin.sock"), command -> answers.size() > 1 ? answers.remove(0) : answers.get(0));
        HaproxyRouter router = new HaproxyRouter(spec(fake.path.toString()));
        router.reset();
        Observations o = router.observe();
        assertThat(o.stable()).isEqualTo(Counts.ZERO);
        assertThat(o.canary()).isEqualTo(new Counts(6, 2));
        assertThat(o.stableLatencyMs()).isEmpty();
        assertThat(o.canaryLatencyMs()).isEmpty();
        assertThat(o.metrics().get(HaproxyRouter.ERROR_RATE).canary()).isEqualTo(2 / 6.0);
        assertThat(o.metrics().get(HaproxyRouter.LATENCY_AVG_MS).stable()).as("no requests since reset").isNaN();
        assertThat(o.metrics().get(HaproxyRouter.LATENCY_AVG_MS).canary()).isEqualTo(1.0);
        assertThat(Judges.forPlan(PlanReader.parse("plan.yaml", """
                stable: http://127.0.0.1:1
                canary: http://127.0.0.1:2
                analysis: {judge: mann-whitney, thresholds: {error_rate: {max: 0.5}}}
                """)).get(0).judge(o).outcome()).as("no latency samples").isEqualTo(JudgeOutcome.INCONCLUSIVE);
    }

    /** A UNIX socket answering each one-line command like HAProxy's runtime API, then closing; null: never answers. */
    private static final class FakeSocket implements AutoCloseable {
        final Path path;
        final List<String> commands = new CopyOnWriteArrayList<>();
        private final ServerSocketChannel server;
        private final Thread thread;

        FakeSocket(Path path, Function<String, String> answers) throws IOException {
            this.path = path;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            thread = new Thread(() -> {
                while (server.isOpen()) {
                    try (SocketChannel c = server.accept()) {
                        ByteArrayOutputStream line = new ByteArrayOutputStream();
                        ByteBuffer b = ByteBuffer.allocate(1);
                        while (c.read(b) > 0 && b.get(0) != '\n') {
                            line.write(b.get(0));
                            b.clear();
                        }
                        String command = line.toString(StandardCharsets.UTF_8);
                        commands.add(command);
                        String answer = answers.apply(command);
                        if (answer == null) {
                            Thread.sleep(2_000);
                        } else {
                            c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                        }
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }, "fake-haproxy-socket");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            thread.interrupt();
        }
    }
}
