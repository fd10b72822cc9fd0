package io.modelgate.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Serves a report with Jenkins' default Content-Security-Policy to real headless Chromium and fails
 * on any CSP violation. A control page with inline style and script proves the violations would be
 * seen; a screenshot proves the style sheet applied (the FAIL banner's background comes only from it).
 *
 * <p>Needs Chromium ({@code /usr/bin/chromium}, or the path in {@code MODELGATE_CHROMIUM});
 * {@code scripts/test} installs it. Without it this test fails rather than skips.
 */
class HtmlReportCspIT {
    static final String JENKINS_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'self';";
    private static final long TIMEOUT_SECONDS = 90;

    @TempDir
    Path tmp;

    private HttpServer server;
    private final Queue<String> requests = new ConcurrentLinkedQueue<>();
    private Path site;

    @BeforeEach
    void serveReport() throws IOException {
        site = tmp.resolve("site");
        GateReport.write(Verdicts.mixed(), site);
        LineageReport.write(LineageReportTest.hostileGraph(), "Lineage of churn@v0.0.1", site);
        CanaryReport.write(CanaryReportTest.rolledBack(), "Canary <script>x</script>", site);
        Files.writeString(site.resolve("control.html"), """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>control</title>
                <style>body { color: red; }</style></head>
                <body><p style="color: blue">inline style</p><script>document.title = 'x';</script></body></html>
                """);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            Path file = site.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Security-Policy", JENKINS_CSP);
            headers.set("X-Content-Type-Options", "nosniff");
            if (!file.startsWith(site) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            headers.set("Content-Type", contentType(file.getFileName().toString()));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String contentType(String name) {
        Map<String, String> types = Map.of("html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8",
                "json", "application/json", "xml", "application/xml", "md", "text/markdown; charset=utf-8",
                "png", "image/png", "svg", "image/svg+xml");
        return types.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
    }

    private String url(String file) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + file;
    }

    @Test
    void rendersUnderJenkinsCspWithoutViolations() throws Exception {
        Run control = chromium("control", "--dump-dom", url("control.html"));
        assertThat(violations(control.log()))
                .as("the control page's inline style must be reported, or this test could not see violations;"
                        + " Chromium log:%n%s", control.log())
                .isNotEmpty();

        requests.clear();
        Run dom = chromium("dom", "--dump-dom", url("index.html"));

        assertThat(violations(dom.log())).as("CSP violations; Chromium log:%n%s", dom.log()).isEmpty();
        assertThat(requests).as("requests served").contains("/index.html", "/modelgate.css");
        assertThat(dom.out()).contains("banner banner-fail")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script")
                .doesNotContain("<img");
    }

    @Test
    void lineagePageRendersUnderJenkinsCspWithoutViolations() throws Exception {
        requests.clear();
        Run dom = chromium("lineage", "--dump-dom", url("lineage.html"));
        assertThat(violations(dom.log())).as("CSP violations; Chromium log:%n%s", dom.log()).isEmpty();
        assertThat(requests).contains("/lineage.html", "/modelgate.css");
        assertThat(dom.out()).contains("lineage-graph").contains("&lt;script&gt;").doesNotContain("<script");
        Path png = tmp.resolve("lineage.png");
        Run shot = chromium("lineage-shot", "--screenshot=" + png, "--window-size=1200,900", "--hide-scrollbars",
                url("lineage.html"));
        assertThat(violations(shot.log())).isEmpty();
        Files.copy(png, Path.of("target", "modelgate-lineage-it.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // #ddf4ff fills run boxes and #dafbe1 model boxes: both drawn from SVG attributes
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(pixels(image, 0xddf4ff)).as("run box pixels").isGreaterThan(2_000);
        assertThat(pixels(image, 0xdafbe1)).as("model box pixels").isGreaterThan(2_000);
    }

    @Test
    void canaryPageRendersUnderJenkinsCspWithoutViolations() throws Exception {
        requests.clear();
        Run dom = chromium("canary", "--dump-dom", url("canary.html"));
        assertThat(violations(dom.log())).as("CSP violations; Chromium log:%n%s", dom.log()).isEmpty();
        assertThat(requests).contains("/canary.html", "/modelgate.css");
        assertThat(dom.out()).contains("canary-timeline").contains("&lt;script&gt;x&lt;/script&gt;").doesNotContain("<script");
        Path png = tmp.resolve("canary.png");
        Run shot = chromium("canary-shot", "--screenshot=" + png, "--window-size=1200,900", "--hide-scrollbars",
                url("canary.html"));
        assertThat(violations(shot.log())).isEmpty();
        Files.copy(png, Path.of("target", "modelgate-canary-it.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // #ffebe9 is the ROLLED BACK banner (fail) background, from modelgate.css only
        assertThat(pixels(ImageIO.read(png.toFile()), 0xffebe9)).as("banner pixels").isGreaterThan(10_000);
    }

    @Test
    void styleSheetAppliesInAScreenshot() throws Exception {
        Path png = tmp.resolve("page.png");
        Run shot = chromium("shot", "--screenshot=" + png, "--window-size=1200,1600", "--hide-scrollbars",
                url("index.html"));

        assertThat(violations(shot.log())).as("CSP violations; Chromium log:%n%s", shot.log()).isEmpty();
        assertThat(png).as("screenshot; Chromium log:%n%s", shot.log()).exists();
        assertThat(Files.size(png)).isGreaterThan(20_000);
        keepForHumans(png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        // #ffebe9 is the FAIL banner's background and #cf222e its badge: both only in modelgate.css
        // (the SVG uses #cf222e too, but not in blocks this large)
        assertThat(pixels(image, 0xffebe9)).as("banner background pixels").isGreaterThan(20_000);
        assertThat(pixels(image, 0xcf222e)).as("status badge pixels").isGreaterThan(2_000);
        assertThat(distinctColours(image)).as("a page, not a blank").isGreaterThan(50);
    }

    private static void keepForHumans(Path png) throws IOException {
        Path target = Path.of("target", "modelgate-report-it");
        Files.createDirectories(target);
        Files.copy(png, target.resolve("page.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static int pixels(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (close(p >> 16 & 0xff, rgb >> 16 & 0xff) && close(p >> 8 & 0xff, rgb >> 8 & 0xff)
                        && close(p & 0xff, rgb & 0xff)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean close(int a, int b) {
        return Math.abs(a - b) <= 3;
    }

    private static long distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    /** Lines of Chromium's log that report a blocked style, script, image or fetch. */
    static List<String> violations(String log) {
        return log.lines()
                .filter(l -> l.contains("Content Security Policy") || l.contains("Content-Security-Policy")
                        || l.contains("Refused to") || l.contains("Blocked script execution"))
                .toList();
    }

    record Run(String out, String log) {
    }

    private Run chromium(String name, String... args) throws Exception {
        Path binary = chromiumBinary();
        Path work = Files.createDirectories(tmp.resolve("chromium-" + name));
        Path out = work.resolve("stdout.txt");
        Path err = work.resolve("stderr.txt");
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-breakpad",
                "--disable-crash-reporter", "--force-device-scale-factor=1", "--user-data-dir=" + work.resolve("profile"),
                "--enable-logging=stderr", "--v=0"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("Chromium did not finish within %d s: %s%n%s", TIMEOUT_SECONDS, command,
                        Files.readString(err, StandardCharsets.UTF_8));
            }
        } finally {
            List<ProcessHandle> children = process.descendants().toList();
            children.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle child : children) {
                try {
                    child.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    fail("Chromium process %d did not exit", child.pid());
                }
            }
        }
        return new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Path chromiumBinary() {
        String configured = System.getenv("MODELGATE_CHROMIUM");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("/usr/bin/chromium"));
        candidates.add(Path.of("/usr/bin/chromium-browser"));
        candidates.add(Path.of("/usr/bin/google-chrome"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(
                "Chromium is needed for this test and was not found at " + candidates
                        + "; install it (apt-get install -y chromium, as scripts/test does) or set MODELGATE_CHROMIUM"));
    }
}
