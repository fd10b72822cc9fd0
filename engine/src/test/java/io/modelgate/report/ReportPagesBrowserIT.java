package io.modelgate.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelgate.lineage.LineageGraph;
import io.modelgate.rollout.Counts;
import io.modelgate.rollout.JudgeOutcome;
import io.modelgate.rollout.Judgement;
import io.modelgate.rollout.RolloutState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every report page in a real headless Chromium, served with Jenkins' default Content-Security-Policy:
 * no CSP violation or other error in the browser console, every value fed in visible, hostile names
 * shown as text and never run, and the style sheet applied. A control page with inline style proves
 * the console would show a violation. Screenshots of each page are kept in {@code target/screenshots/}.
 *
 * <p>Uses Debian's {@code /usr/bin/chromium} through Debian's {@code /usr/bin/chromedriver} (package
 * {@code chromium-driver}; {@code scripts/test} installs both). Both paths are given to Selenium, so
 * Selenium Manager never runs and nothing is downloaded; without them this test fails, not skips.
 * {@code MODELGATE_CHROMIUM} and {@code MODELGATE_CHROMEDRIVER} override the paths.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportPagesBrowserIT {
    static final String JENKINS_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'self';";
    /** Would show an image and run script if it were ever parsed as markup. */
    static final String HOSTILE = "<img src=x onerror=alert(1)>";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final Queue<String> requests = new ConcurrentLinkedQueue<>();
    private Path site;
    private HttpServer server;
    private ChromeDriverService service;
    private ChromeDriver browser;
    private byte[] favicon;

    @BeforeAll
    void writePagesAndStartTheBrowser() throws IOException {
        site = Files.createTempDirectory("modelgate-pages-it-");
        // First, so the index (refreshed by every writer) also shows a page that is not Modelgate's.
        Files.writeString(site.resolve("control.html"), """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>control</title>
                <link rel="stylesheet" href="modelgate.css"></head>
                <body><p style="color: blue">inline style</p></body></html>
                """);
        GateReport.write(Verdicts.hostileMetric(HOSTILE), site);
        LineageReport.write(hostileLineage(), "Lineage of churn@v0.0.2", site);
        RegistryReport.write(RegistryReportTest.hostileHistory(), site);
        CanaryReport.write(hostileCanary(), "Canary rollout of " + HOSTILE, site);
        DriftReport.write(hostileDrift(site.resolveSibling(site.getFileName() + "-data")), site);
        favicon = favicon();

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();

        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(executable("MODELGATE_CHROMEDRIVER", "/usr/bin/chromedriver",
                        "apt-get install -y chromium-driver"))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(executable("MODELGATE_CHROMIUM", "/usr/bin/chromium", "apt-get install -y chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--force-device-scale-factor=1",
                "--hide-scrollbars", "--window-size=1280,900", "--user-data-dir=" + site.resolveSibling(
                        site.getFileName() + "-profile"));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    void stopEverything() throws IOException {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (service != null) {
                service.stop();
            }
            if (server != null) {
                server.stop(0);
            }
            deleteTree(site);
            deleteTree(site.resolveSibling(site.getFileName() + "-profile"));
        }
    }

    @Test
    void theControlPageShowsThatAViolationWouldBeSeen() {
        List<String> console = open("control.html");

        assertThat(console).as("the control page's inline style must be reported, or the other tests could not see"
                + " a violation").anyMatch(l -> l.contains("Content Security Policy") && l.contains("style"));
        assertThat(severe(console)).isNotEmpty();
    }

    @Test
    void indexLinksEveryPageWithItsSummary() throws IOException {
        Page page = check("index.html", "index", List.of("Modelgate reports", "Model gate", "Lineage of churn@v0.0.2",
                "Registry history of churn", "Canary rollout of " + HOSTILE, "FAIL: 1 of 3 checks failed (roc_auc)",
                "ROLLED BACK", "churn: latest v0.0.2", "2 runs (train-churn, prepare-" + HOSTILE + ")"));

        List<String> links = browser.findElements(By.cssSelector(".index-page > a")).stream()
                .map(a -> a.getAttribute("href").replaceFirst(".*/", "")).toList();
        assertThat(links).containsExactly("gate.html", "lineage.html", "registry.html", "canary.html", "drift.html",
                "control.html");
        assertThat(page.status("FAIL").getCssValue("background-color")).isEqualTo("rgba(207, 34, 46, 1)");
    }

    @Test
    void gatePageShowsAHostileMetricNameAsText() throws IOException {
        Page page = check("gate.html", "gate", List.of("FAIL", "Modelgate verdict", "FAIL: 1 of 3 checks failed (roc_auc)",
                "gate.yaml", "metrics/" + HOSTILE + ".json", "metrics/baseline.json", "2026-03-01 12:34:56 UTC",
                HOSTILE + " is 0.73, at least 0.5", "roc_auc is 0.81, below 0.85", "region=" + HOSTILE, "0.73", "0.71",
                "0.81", "0.79", "0.88", "0.86", ">= 0.85", ">= 0.5"));

        // The banner's colours come only from modelgate.css.
        WebElement banner = browser.findElement(By.id("status"));
        assertThat(banner.getCssValue("background-color")).isEqualTo("rgba(255, 235, 233, 1)");
        assertThat(page.text()).contains("1 failed").contains("2 passed");
        assertThat(browser.findElements(By.cssSelector("svg.chart-svg"))).hasSize(2);
    }

    @Test
    void lineagePageShowsAHostileDataSetAndParameterAsText() throws IOException {
        check("lineage.html", "lineage", List.of("Lineage of churn@v0.0.2", "train-churn", "prepare-" + HOSTILE,
                HOSTILE + ".csv", "churn@v0.0.2", "4 nodes, 3 connections", "1a2b3c4d5e6f", "20000", "learning_rate",
                "0.05 " + HOSTILE));

        assertThat(browser.findElements(By.cssSelector("svg.lineage-graph rect"))).hasSize(4);
        assertThat(browser.findElement(By.cssSelector("svg.lineage-graph")).getCssValue("border-top-style"))
                .isEqualTo("solid");
    }

    @Test
    void registryPageShowsHostileActorReasonAndTagsAsText() throws IOException {
        Page page = check("registry.html", "registry", List.of("Registry history of churn", "v0.0.1", "v0.0.2",
                "production", "@champion", "rollback", "staging: v0.0.2 \u2192 v0.0.1", "canary-bot",
                "canary error rate 5.2% vs 1.0%", "approved by carol", "weekly release", "churn-train #42",
                "reason " + HOSTILE, "description " + HOSTILE, "javascript:alert(1)", "2026-11-26 09:00:00 UTC",
                "PASS: 3 of 3 checks passed", "FAIL: roc_auc below 0.8", "risk"));

        assertThat(browser.findElements(By.cssSelector(".history-table tbody tr"))).hasSize(8);
        assertThat(browser.findElements(By.cssSelector("a[href^='javascript']"))).isEmpty();
        assertThat(page.status("PASS").getCssValue("background-color")).isEqualTo("rgba(218, 251, 225, 1)");
    }

    @Test
    void canaryPageShowsAHostileRolloutNameAndJudgeReasonAsText() throws IOException {
        Page page = check("canary.html", "canary", List.of("ROLLED BACK", "Canary rollout of " + HOSTILE,
                "canary error rate 4.8% vs stable 1.0% " + HOSTILE, "judge " + HOSTILE, "roll back", "continue",
                "2026-11-26T10:00:10Z", "8000", "1000", "1.00%", "2.50%", "4.80%"));

        assertThat(browser.findElements(By.cssSelector("svg.canary-timeline path"))).hasSize(3);
        assertThat(page.text()).contains("10").contains("50");
        assertThat(browser.findElement(By.cssSelector(".banner-status")).getCssValue("background-color"))
                .isEqualTo("rgba(207, 34, 46, 1)");
    }

    @Test
    void driftPageShowsAHostileColumnNameAsText() throws IOException {
        Page page = check("drift.html", "drift", List.of("FAIL", "tenure", "segment", "Kolmogorov-Smirnov",
                "chi-square", "200", "150"));

        assertThat(page.text()).contains(HOSTILE);
        // One histogram overlay per column: reference and current.
        assertThat(browser.findElements(By.cssSelector("svg"))).hasSizeGreaterThanOrEqualTo(3);
    }

    /** Two small windows whose columns (one named like markup) drifted: a shifted number, new categories. */
    static io.modelgate.drift.DriftVerdict hostileDrift(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder ref = new StringBuilder("tenure,segment," + HOSTILE + "\n");
        StringBuilder cur = new StringBuilder("tenure,segment," + HOSTILE + "\n");
        for (int i = 0; i < 200; i++) {
            ref.append(i % 50).append(',').append(i % 2 == 0 ? "a" : "b").append(',').append(i % 7).append('\n');
        }
        for (int i = 0; i < 150; i++) {
            cur.append(20 + i % 50).append(',').append(i % 3 == 0 ? "c" : "a").append(',').append(3 + i % 7).append('\n');
        }
        Path r = Files.writeString(dir.resolve("reference.csv"), ref);
        Path c = Files.writeString(dir.resolve("current.csv"), cur);
        return io.modelgate.drift.Drift.evaluate(r, c, io.modelgate.drift.DriftPolicy.defaults(), java.time.Instant.parse(
                "2026-11-26T06:00:00Z"));
    }

    /** What a page showed: its visible text and the console messages logged while it loaded. */
    private record Page(String text, List<String> console, ChromeDriver browser) {
        WebElement status(String status) {
            return browser.findElements(By.cssSelector(".outcome")).stream().filter(e -> e.getText().equals(status))
                    .findFirst().orElseThrow(() -> new AssertionError("no status badge " + status));
        }
    }

    /**
     * Opens a page and checks what every page must do under Jenkins' CSP, then saves its screenshot
     * as {@code target/screenshots/<name>.png}.
     */
    private Page check(String file, String name, List<String> values) throws IOException {
        List<String> console = open(file);
        String text = browser.findElement(By.tagName("body")).getText();

        assertThat(console).as("browser console of %s", file)
                .noneMatch(l -> l.contains("Content Security Policy") || l.contains("Refused to"));
        assertThat(severe(console)).as("errors in the browser console of %s", file).isEmpty();
        assertThat(requests).as("requests for %s", file).contains("/" + file, "/modelgate.css");
        assertThat(text).as("visible text of %s", file).contains(values);
        assertThat(text).as("the hostile name shown as text in %s", file).contains(HOSTILE);
        assertThat(browser.findElements(By.tagName("img"))).as("images in %s", file).isEmpty();
        assertThat(browser.findElements(By.cssSelector("[src], [onerror], script, style"))).as("in %s", file).isEmpty();
        assertThatThrownBy(() -> browser.switchTo().alert()).as("an alert in %s", file)
                .isInstanceOf(NoAlertPresentException.class);
        // The page's own style sheet applied: .page is centred with a maximum width only in modelgate.css.
        assertThat(browser.findElement(By.cssSelector("main.page")).getCssValue("max-width")).isEqualTo("1100px");

        screenshot(name);
        return new Page(text, console, browser);
    }

    /** Loads a page after clearing the console and the request log; returns what the console got. */
    private List<String> open(String file) {
        browser.manage().logs().get(LogType.BROWSER);
        requests.clear();
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(url(file));
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(e -> e.getLevel() + " " + e.getMessage()).toList();
    }

    private static List<String> severe(List<String> console) {
        return console.stream().filter(l -> l.startsWith(Level.SEVERE.getName())).toList();
    }

    /** The whole page in one picture, not only the window: DevTools can capture beyond the viewport. */
    private void screenshot(String name) throws IOException {
        Dimension size = browser.findElement(By.tagName("html")).getSize();
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", Math.max(size.getWidth(), 800),
                        "height", Math.min(size.getHeight(), 6000), "scale", 1)));
        byte[] png = java.util.Base64.getDecoder().decode((String) shot.get("data"));
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
        assertThat(png.length).as("screenshot of %s", name).isGreaterThan(10_000);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            Path file = site.resolve(path.equals("/") ? ReportIndex.HTML : path.substring(1)).normalize();
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Security-Policy", JENKINS_CSP);
            headers.set("X-Content-Type-Options", "nosniff");
            if (path.equals("/favicon.ico")) {
                // Jenkins has one at its root, where the browser asks; a 404 here would be a console error.
                headers.set("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, favicon.length);
                exchange.getResponseBody().write(favicon);
                return;
            }
            if (!file.startsWith(site) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            headers.set("Content-Type", Map.of("html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8",
                    "json", "application/json").getOrDefault(name.substring(name.lastIndexOf('.') + 1),
                    "application/octet-stream"));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] favicon() throws IOException {
        var image = new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private String url(String file) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + file;
    }

    private static File executable(String env, String path, String install) {
        String configured = System.getenv(env);
        Path p = Path.of(configured != null && !configured.isBlank() ? configured : path);
        if (!Files.isExecutable(p)) {
            throw new AssertionError(p + " is needed for this test and is missing: " + install
                    + " (scripts/test does), or set " + env);
        }
        return p.toFile();
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A model's lineage whose data set, upstream run and a parameter carry the hostile name. */
    static LineageGraph hostileLineage() {
        var data = new LineageGraph.Node("dataset:1a2b", LineageGraph.Kind.DATASET, HOSTILE + ".csv",
                Map.of("sha256", "1a2b3c4d5e6f77", "rows", "20000", "uri", "data/" + HOSTILE + ".csv"));
        var prepare = new LineageGraph.Node("run:r1", LineageGraph.Kind.RUN, "prepare-" + HOSTILE,
                Map.of("record", "r1abcdef00", "ended", "2026-11-26T08:00:00Z"));
        var train = new LineageGraph.Node("run:r2", LineageGraph.Kind.RUN, "train-churn",
                Map.of("record", "r2abcdef00", "ended", "2026-11-26T08:30:00Z", "learning_rate", "0.05 " + HOSTILE));
        var model = new LineageGraph.Node("model:churn@v0.0.2", LineageGraph.Kind.MODEL, "churn@v0.0.2", Map.of());
        return new LineageGraph("model:churn@v0.0.2", List.of(model, train, data, prepare), List.of(
                new LineageGraph.Edge("run:r1", "dataset:1a2b", "output"),
                new LineageGraph.Edge("dataset:1a2b", "run:r2", "input"),
                new LineageGraph.Edge("run:r2", "model:churn@v0.0.2", "produced")));
    }

    /** A rolled-back canary whose judge and reason carry the hostile name. */
    static RolloutState hostileCanary() {
        Instant t = Instant.parse("2026-11-26T10:00:00Z");
        List<RolloutState.Interval> intervals = new ArrayList<>();
        long[] canaryErrors = {10, 25, 48};
        int[] weights = {10, 50, 50};
        for (int i = 0; i < 3; i++) {
            JudgeOutcome o = i == 2 ? JudgeOutcome.FAIL : JudgeOutcome.PASS;
            intervals.add(new RolloutState.Interval(t.plusSeconds(10L * (i + 1)), i == 0 ? 0 : 1, weights[i],
                    new Counts(1000L * (i + 1) * 8 / (i + 1), 10L * (i + 1) * 8 / (i + 1)), new Counts(1000, canaryErrors[i]),
                    List.of(new Judgement("judge " + HOSTILE, o, "error rate", 0.0, "error rate " + (canaryErrors[i] / 10.0)
                            + "%")), i == 2 ? "roll back" : "continue"));
        }
        return new RolloutState("plan.yaml", RolloutState.Phase.ROLLED_BACK, 1, t, 1, intervals,
                "canary error rate 4.8% vs stable 1.0% " + HOSTILE, t.plusSeconds(40), "", "", java.time.Duration.ZERO, 0, java.util.List.of());
    }
}
