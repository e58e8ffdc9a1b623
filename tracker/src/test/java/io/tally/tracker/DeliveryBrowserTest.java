package io.tally.tracker;

import io.tally.codec.json.Json;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.tally.tracker.PageServer.html;
import static io.tally.tracker.PageServer.snippet;
import static io.tally.tracker.Records.awaitOne;
import static io.tally.tracker.Records.matching;
import static io.tally.tracker.Records.named;
import static io.tally.tracker.Records.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery in Chromium: beacons that fail (engine down, 429) wait in a bounded queue in {@code localStorage} and are
 * sent again with backoff; the queue keeps the newest 50 entries and 32,768 characters; a hostile page gets no error.
 */
class DeliveryBrowserTest
{
    /** The script's queue bounds. */
    private static final int MAX_QUEUED = 50;
    private static final int MAX_QUEUED_CHARS = 32_768;

    @TempDir
    static Path tempDir;
    private static BrowserSite site;
    private static TestEngine engine;
    private static PageServer pages;
    private static Browser browser;

    @BeforeAll
    static void start()
    {
        site = BrowserSite.start(tempDir.resolve("main"), b -> b);
        engine = site.engine;
        pages = site.pages;
        browser = site.browser;
    }

    @AfterAll
    static void stop()
    {
        site.close();
    }

    @BeforeEach
    void freshStorage()
    {
        site.freshStorage();
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Opens a page whose script comes from the engine but whose {@code data-api} is a port nobody listens on. */
    private static void openWithDeadApi(final String path)
    {
        final String script = "<script defer data-site='shop.example' data-api='http://127.0.0.1:" + freePort() +
            "' src='http://127.0.0.1:" + engine.port() + "/js/tally.js'></script>";
        browser.open(pages.page(path, html(script, "")));
    }

    /** The queued beacons, parsed. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> queued()
    {
        final String text = (String)browser.js("return localStorage.getItem('tally_q') || '[]'");
        return ((List<Object>)Json.parse(text)).stream().map(t -> Json.parseObject((String)t)).toList();
    }

    private static List<Object> queuedNames()
    {
        return queued().stream().map(b -> b.get("n")).toList();
    }

    @Test
    void beaconsSentWhileTheEngineIsDownArriveOnceItIsBack()
    {
        final int port = freePort();
        final Path dataDir = tempDir.resolve("down-and-back");
        final String url = pages.page("/offline/", html(snippet(port, ""), ""));
        try (TestEngine first = TestEngine.start(dataDir, b -> b.port(port)))
        {
            browser.open(url);
            awaitOne(first, "the pageview", type("pageview", "/offline/"));
        }
        browser.js("tally.track('Offline 1'); tally.track('Offline 2', {seats: 2})");
        Poll.until("both wait in the queue", () -> queuedNames().containsAll(List.of("Offline 1", "Offline 2")));
        try (TestEngine second = TestEngine.start(dataDir, b -> b.port(port)))
        {
            final Map<String, Object> two = awaitOne(second, "the second offline event", named("Offline 2"));
            assertEquals(Map.of("seats", "2"), two.get("props"));
            awaitOne(second, "the first offline event", named("Offline 1"));
            Poll.until("the queue is empty", () -> queued().isEmpty());
            browser.js("tally.track('Online')");
            awaitOne(second, "the next event", named("Online"));
            assertEquals(1, matching(second, named("Offline 1")).size());
            assertEquals(1, matching(second, named("Offline 2")).size());
        }
    }

    @Test
    void beaconsAnswered503AreKeptAndArriveFromTheRestartedEngine()
    {
        final int port = freePort();
        final Path dataDir = tempDir.resolve("unavailable");
        final String url = pages.page("/unavailable/", html(snippet(port, ""), ""));
        // an engine that keeps more free space than any disk has refuses every append, as on a full disk
        try (TestEngine first = TestEngine.start(dataDir, b -> b.port(port).minFreeSpace(Long.MAX_VALUE / 4)))
        {
            browser.open(url);
            browser.js("tally.track('Refused')");
            Poll.until("the pageview and the refused event wait in the queue",
                () -> queuedNames().contains("Refused") && queued().size() == 2);
            assertTrue(first.engine().counters().nonZeroByCode().getOrDefault("disk_full", 0L) >= 2,
                "the engine answered 503: " + first.engine().counters().nonZeroByCode());
            assertEquals(List.of(), first.dump());
        }
        try (TestEngine second = TestEngine.start(dataDir, b -> b.port(port)))
        {
            awaitOne(second, "the refused event", named("Refused"));
            awaitOne(second, "the refused pageview", type("pageview", "/unavailable/"));
            Poll.until("the queue is empty", () -> queued().isEmpty());
            browser.js("tally.track('Accepted')");
            awaitOne(second, "the next event", named("Accepted"));
            assertEquals(1, matching(second, named("Refused")).size());
        }
    }

    /**
     * A send the page's unload cuts short fails in the page while the keepalive request goes on and is delivered:
     * queuing it would send it again at the next page load (a form submit counted twice). After pagehide a failed
     * send is not queued; after pageshow (the page back from the cache) it is again.
     */
    @Test
    void aSendThatFailsWhileThePageGoesAwayIsNotQueuedToBeSentTwice()
    {
        // a fetch that fails on demand, as one cut short by navigating away does
        final String failingFetch = "<script>window.__fail=false;const realFetch=window.fetch;" +
            "window.fetch=function(){return window.__fail?Promise.reject(new TypeError('Failed to fetch')):" +
            "realFetch.apply(this,arguments)};</script>";
        browser.open(pages.page("/leaving/", html(failingFetch + snippet(engine.port(), ""), "")));
        awaitOne(engine, "the pageview", type("pageview", "/leaving/"));
        browser.js("window.__fail=true; dispatchEvent(new PageTransitionEvent('pagehide')); tally.track('Leaving')");
        browser.asyncJs("setTimeout(done, 200)");
        assertEquals(List.of(), queued(), "not queued while the page goes away");
        browser.js("dispatchEvent(new PageTransitionEvent('pageshow')); tally.track('Back')");
        Poll.until("a failure on a shown page is queued", () -> queuedNames().contains("Back"));
        browser.js("window.__fail=false; localStorage.removeItem('tally_q')");
    }

    @Test
    void rateLimitedBeaconsAreRetriedUntilAccepted() throws Exception
    {
        final Path dataDir = tempDir.resolve("limited");
        try (TestEngine limited = TestEngine.start(dataDir, b -> b.ingestRateLimit(1).ingestBurst(1)))
        {
            browser.open(pages.page("/limited/", html(snippet(limited.port(), ""), "")));
            browser.js("for (let i = 1; i <= 4; i++) tally.track('Limited ' + i)");
            for (int i = 1; i <= 4; i++)
            {
                awaitOne(limited, "limited event " + i, named("Limited " + i));
            }
            Poll.until("the queue is empty", () -> queued().isEmpty());
            final HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + limited.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            final Map<?, ?> answers = (Map<?, ?>)Json.parseObject(health.body()).get("answers");
            assertTrue(((Number)answers.get("rate_limited")).intValue() > 0, "some sends were refused first: " + answers);
            assertEquals(4, matching(limited, r -> String.valueOf(r.get("name")).startsWith("Limited ")).size());
        }
    }

    @Test
    void theQueueKeepsTheNewestFiftyEntries()
    {
        openWithDeadApi("/queue/dead");
        browser.js("for (let i = 1; i <= 51; i++) tally.track('Queued ' + i)");
        final List<Object> newest = IntStream.rangeClosed(2, 51).mapToObj(i -> (Object)("Queued " + i)).toList();
        // once all failed sends are back in the queue, stop the page's retry timers (in the same task, so no round
        // of retries is in flight) so that leaving the page cannot lose a round to the unload
        Poll.until("the queue is full and the page's retries are stopped", () -> Boolean.TRUE.equals(browser.js(
            "if (JSON.parse(localStorage.getItem('tally_q') || '[]').length !== arguments[0]) return false;" +
            "const last = setTimeout(() => 0); for (let i = 0; i <= last; i++) { clearTimeout(i); clearInterval(i); }" +
            "return true", MAX_QUEUED)));
        assertEquals(newest.stream().sorted().toList(), queuedNames().stream().sorted().toList());

        browser.open(site.page("/queue/live", "", ""));
        Records.await(engine, MAX_QUEUED, "the queued events", r -> String.valueOf(r.get("name")).startsWith("Queued "));
        browser.js("tally.track('Queue drained')");
        awaitOne(engine, "the next event", named("Queue drained"));
        final List<Object> delivered = matching(engine, r -> String.valueOf(r.get("name")).startsWith("Queued "))
            .stream().map(r -> r.get("name")).sorted().toList();
        assertEquals(newest.stream().sorted().toList(), delivered, "the oldest (the pageview and Queued 1) were dropped");
        assertEquals(0, matching(engine, type("pageview", "/queue/dead")).size());
    }

    @Test
    void theQueueKeepsTheNewestEntriesWithinItsCharacterBudget()
    {
        openWithDeadApi("/queue/bytes");
        browser.js("for (let i = 10; i < 40; i++) tally.track('Big ' + i, {text: 'x'.repeat(1900)})");
        Poll.until("the newest big event is queued", () -> queuedNames().contains("Big 39"));
        final String text = (String)browser.js("return localStorage.getItem('tally_q')");
        final List<Map<String, Object>> queue = queued();
        final int each = ((String)browser.js("return JSON.parse(localStorage.getItem('tally_q'))[0]")).length();
        final int total = ((Number)browser.js("return JSON.parse(localStorage.getItem('tally_q')).reduce((n, t) => n + t.length, 0)"))
            .intValue();
        assertTrue(total <= MAX_QUEUED_CHARS, total + " characters queued");
        assertTrue(total + each > MAX_QUEUED_CHARS, "one more would not fit: " + total + " + " + each);
        final int kept = queue.size();
        assertEquals(MAX_QUEUED_CHARS / each, kept, text.length() + " characters of queue text");
        assertEquals(IntStream.range(40 - kept, 40).mapToObj(i -> (Object)("Big " + i)).sorted().toList(),
            queuedNames().stream().sorted().toList());
    }

    @Test
    void aHostilePageGetsNoErrorAndBeaconsStillLeaveBySendBeacon()
    {
        final String hostile = "<script>Object.defineProperty(window, 'localStorage', {get() { throw new Error('denied') }});" +
            "window.fetch = function () { throw new Error('no fetch here') };" +
            "const sitePush = history.pushState; history.pushState = function () { return sitePush.apply(history, arguments) };" +
            "</script>\n";
        browser.open(pages.page("/hostile/", html(hostile + snippet(engine.port(), ""),
            "<svg><a href='#svg'><text y='20'>t</text></a></svg>")));
        awaitOne(engine, "the pageview by sendBeacon", type("pageview", "/hostile/"));
        browser.js("tally.track(); tally.track(42); tally.track({});" +
            "const cyclic = {}; cyclic.self = cyclic; tally.track('Cyclic', cyclic);" +
            "tally.track('Getter', {get boom() { throw new Error('boom') }});" +
            "tally.track('Symbol', {s: Symbol('x'), big: 10n, ok: 'yes', inf: Infinity});" +
            "tally.track('Bad revenue', null, {amount: 'abc', currency: 'EUR'});" +
            "tally.track('Meta', null, null, 'not an object');" +
            "tally.track('X'.repeat(500));" +
            "history.pushState({}, '', '/hostile/next');" +
            "document.querySelector('svg a').dispatchEvent(new MouseEvent('click', {bubbles: true}));");
        awaitOne(engine, "the pushState pageview", type("pageview", "/hostile/next"));
        assertEquals(Map.of(), awaitOne(engine, "the cyclic event", named("Cyclic")).get("props"));
        assertEquals(Map.of("ok", "yes"), awaitOne(engine, "the symbol event", named("Symbol")).get("props"));
        assertNull(awaitOne(engine, "the bad revenue event", named("Bad revenue")).get("revenue"));
        awaitOne(engine, "the meta event", named("Meta"));
        awaitOne(engine, "the long name, cut to 120", named("X".repeat(120)));
        browser.js("tally.track('hostile-done')");
        awaitOne(engine, "the last event", named("hostile-done"));
        assertEquals(0, matching(engine, named("Getter")).size());
        assertEquals(List.of(), browser.pageErrors());
    }
}
