package io.tally.engine.audience;

import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Robots kept out and the audience counted, over the real server with real User-Agents: each robot's beacon is
 * answered exactly as a person's, nothing of it is journaled, and it is counted by reason; people's events carry their
 * browser, system and device into the journal and the reports; with robots kept, they are journaled flagged and the
 * reports still leave them out.
 */
class AudienceHttpTest
{
    static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    static final String GOOGLEBOT_CHROME = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; " +
        "+http://www.google.com/bot.html) Chrome/120.0.6099.129 Safari/537.36";
    static final String BINGBOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";
    static final String GENERIC_CRAWLER = "generic crawler";
    static final String HEADLESS_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) " +
        "HeadlessChrome/120.0.0.0 Safari/537.36";
    static final String PHANTOMJS = "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) " +
        "PhantomJS/2.1.1 Safari/538.1";
    static final String CURL = "curl/8.5.0";
    static final String PYTHON_REQUESTS = "python-requests/2.31.0";

    static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) " +
        "Chrome/120.0.0.0 Safari/537.36";
    static final String FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0";
    static final String SAFARI_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) " +
        "Version/17.2 Safari/605.1.15";
    static final String CHROME_ANDROID = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) " +
        "Chrome/120.0.0.0 Mobile Safari/537.36";
    static final String SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 " +
        "(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";
    static final String SAFARI_IPAD = "Mozilla/5.0 (iPad; CPU OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) " +
        "Version/17.2 Mobile/15E148 Safari/604.1";

    private static final String PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/\"}";
    private static final String SPAM_PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/\",\"r\":\"https://WWW.0-0.fr./x\"}";
    private static final String SIGNUP = "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\"}";

    /** Robots by User-Agent, with the reason each is counted under. */
    private static final Map<String, String> ROBOTS = robots();

    @TempDir
    Path dataDir;

    private static Map<String, String> robots()
    {
        final Map<String, String> robots = new LinkedHashMap<>();
        robots.put(GOOGLEBOT, "crawler");
        robots.put(GOOGLEBOT_CHROME, "crawler");
        robots.put(BINGBOT, "crawler");
        robots.put(GENERIC_CRAWLER, "crawler");
        robots.put(HEADLESS_CHROME, "automation");
        robots.put(PHANTOMJS, "automation");
        robots.put(CURL, "automation");
        robots.put(PYTHON_REQUESTS, "automation");
        return robots;
    }

    private static RawHttp.Answer send(final TestEngine engine, final String userAgent, final String beacon, final String client)
        throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            return http.exchange(RawHttp.post("/api/event", "application/json", beacon, "User-Agent: " + userAgent,
                "X-Forwarded-For: " + client));
        }
    }

    /** An engine whose User-Agent analyzer is built: every event is classified (before, they go on unclassified). */
    private static TestEngine start(final Path dir, final boolean keepBots)
    {
        final TestEngine engine = TestEngine.start(dir, b -> b.keepBots(keepBots).trustedProxies(
            io.tally.engine.identity.AddressRanges.parse(List.of("127.0.0.1/32"))).adminToken("admin"));
        engine.engine().ingestServices().screening().classifier().awaitReady();
        return engine;
    }

    @Test
    void robotsAreAnsweredAsPeopleAndNotStoredAndCountedByReason() throws IOException
    {
        try (TestEngine engine = start(dataDir, false))
        {
            final RawHttp.Answer person = send(engine, CHROME_WINDOWS, PAGEVIEW, "198.51.100.1");
            assertEquals(202, person.status(), person.body());
            int client = 10;
            for (final String robot : ROBOTS.keySet())
            {
                for (int i = 0; i < 2; i++) // the first is classified off the loop, the second found in the cache
                {
                    final RawHttp.Answer answer = send(engine, robot, PAGEVIEW, "198.51.100." + client++);
                    assertEquals(person.status(), answer.status(), robot);
                    assertEquals(person.body(), answer.body(), robot);
                    assertEquals(person.headers().keySet(), answer.headers().keySet(), robot);
                }
            }
            assertEquals(202, send(engine, SAFARI_MAC, SPAM_PAGEVIEW, "198.51.100.99").status());

            final List<Map<String, Object>> journal = engine.dump();
            assertEquals(1, journal.size(), "only the person's pageview is journaled: " + journal);
            assertEquals("Chrome", journal.get(0).get("browser"));
            assertNull(journal.get(0).get("robot"));

            final Map<String, Object> robots = robotsOf(engine.health());
            assertEquals(8L, ((Number)robots.get("crawler")).longValue());
            assertEquals(8L, ((Number)robots.get("automation")).longValue());
            assertEquals(1L, ((Number)robots.get("spam_referrer")).longValue());
            assertEquals(false, robots.get("kept"));

            final String metrics = engine.call("GET", "/metrics", null, null).body();
            assertTrue(metrics.contains("tally_robots_total{kept=\"false\",reason=\"crawler\"} 8.0"), metrics);
            assertTrue(metrics.contains("tally_robots_total{kept=\"false\",reason=\"automation\"} 8.0"), metrics);
            assertTrue(metrics.contains("tally_robots_total{kept=\"false\",reason=\"spam_referrer\"} 1.0"), metrics);
            assertTrue(metrics.contains("tally_events_total{endpoint=\"event\",outcome=\"robot\"} 17.0"), metrics);
            assertFalse(metrics.contains("tally_rejections_total{code=\"robot\"}"), metrics);

            assertEquals(1L, ((Number)engine.stats("shop.example", "kpis").get("visitors")).longValue());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> robotsOf(final Map<String, Object> health)
    {
        return (Map<String, Object>)((Map<String, Object>)health.get("audience")).get("robots");
    }

    @Test
    @SuppressWarnings("unchecked")
    void peoplesBrowsersSystemsAndDevicesAreJournaledAndReported() throws IOException
    {
        try (TestEngine engine = start(dataDir, false))
        {
            assertEquals(201, engine.call("POST", "/api/v1/sites/shop.example/goals",
                "{\"name\":\"Signup\",\"type\":\"custom\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\"," +
                    "\"value\":\"Signup\"}]}", "admin").status());
            final String[] people = {CHROME_WINDOWS, FIREFOX_WINDOWS, SAFARI_MAC, CHROME_ANDROID, SAFARI_IPHONE, SAFARI_IPAD};
            for (int i = 0; i < people.length; i++)
            {
                assertEquals(202, send(engine, people[i], PAGEVIEW, "203.0.113." + (i + 1)).status());
                assertEquals(202, send(engine, people[i], PAGEVIEW, "203.0.113." + (i + 1)).status());
            }
            assertEquals(202, send(engine, SAFARI_IPAD, SIGNUP, "203.0.113.6").status());
            assertEquals(202, send(engine, GOOGLEBOT, SIGNUP, "203.0.113.50").status());

            final List<Map<String, Object>> journal = engine.dump();
            assertEquals(13, journal.size());
            assertEquals(List.of("desktop", "desktop", "desktop", "mobile", "mobile", "tablet"),
                devicesOfFirstPageviews(journal, people.length));
            final Map<String, Object> ipad = journal.get(journal.size() - 1);
            assertEquals("Safari", ipad.get("browser"));
            assertEquals("17", ipad.get("browser_version"));
            assertEquals("iOS", ipad.get("os"));
            assertEquals("tablet", ipad.get("device"));

            final Map<String, Object> browsers = engine.stats("shop.example", "browsers?period=today");
            assertEquals(List.of(row("browser", "Safari", 3, 6, 1), row("browser", "Chrome", 2, 4, 0),
                row("browser", "Firefox", 1, 2, 0)), strip((List<Object>)browsers.get("browsers")));
            final Map<String, Object> systems = engine.stats("shop.example", "operating_systems?period=today");
            assertEquals(List.of(row("os", "Windows NT", 2, 4, 0), row("os", "iOS", 2, 4, 1), row("os", "Android", 1, 2, 0),
                row("os", "Mac OS", 1, 2, 0)), strip((List<Object>)systems.get("operating_systems")));
            final Map<String, Object> devices = engine.stats("shop.example", "devices?period=today");
            assertEquals(List.of(row("device", "desktop", 3, 6, 0), row("device", "mobile", 2, 4, 0),
                row("device", "tablet", 1, 2, 1)), numbers((List<Object>)devices.get("devices")));
            assertEquals(400, engine.call("GET", "/api/v1/stats/shop.example/devices?goal=Signup", null, "admin").status());
        }
    }

    private static List<Object> devicesOfFirstPageviews(final List<Map<String, Object>> journal, final int people)
    {
        final List<Object> devices = new java.util.ArrayList<>();
        for (int i = 0; i < people; i++)
        {
            devices.add(journal.get(2 * i).get("device"));
        }
        return devices;
    }

    private static Map<String, Object> row(final String label, final String name, final long visitors, final long pageviews,
        final long conversions)
    {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put(label, name);
        row.put("visitors", visitors);
        row.put("pageviews", pageviews);
        row.put("conversions", conversions);
        return row;
    }

    /** The rows without their versions, numbers as longs. */
    @SuppressWarnings("unchecked")
    private static List<Object> strip(final List<Object> rows)
    {
        for (final Object row : rows)
        {
            assertTrue(((Map<String, Object>)row).get("versions") instanceof List, "each row has its versions: " + row);
        }
        final List<Object> stripped = numbers(rows);
        stripped.forEach(row -> ((Map<String, Object>)row).remove("versions"));
        return stripped;
    }

    /** Copies of the rows, numbers as longs. */
    @SuppressWarnings("unchecked")
    private static List<Object> numbers(final List<Object> rows)
    {
        final List<Object> copies = new java.util.ArrayList<>();
        for (final Object row : rows)
        {
            final Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>)row);
            copy.replaceAll((k, v) -> v instanceof Number n ? (Object)n.longValue() : v);
            copies.add(copy);
        }
        return copies;
    }

    @Test
    @SuppressWarnings("unchecked")
    void keptRobotsAreJournaledFlaggedAndLeftOutOfTheReports() throws IOException
    {
        try (TestEngine engine = start(dataDir, true))
        {
            assertEquals(202, send(engine, FIREFOX_WINDOWS, PAGEVIEW, "192.0.2.1").status());
            assertEquals(202, send(engine, GOOGLEBOT, PAGEVIEW, "192.0.2.2").status());
            assertEquals(202, send(engine, HEADLESS_CHROME, PAGEVIEW, "192.0.2.3").status());
            assertEquals(202, send(engine, FIREFOX_WINDOWS, SPAM_PAGEVIEW, "192.0.2.4").status());

            final List<Map<String, Object>> journal = engine.dump();
            assertEquals(4, journal.size());
            assertNull(journal.get(0).get("robot"));
            assertEquals("crawler", journal.get(1).get("robot"));
            assertEquals("automation", journal.get(2).get("robot"));
            assertEquals("Chrome", journal.get(2).get("browser"));
            assertEquals("spam_referrer", journal.get(3).get("robot"));
            assertEquals("Firefox", journal.get(3).get("browser"));

            final Map<String, Object> robots = robotsOf(engine.health());
            assertEquals(1L, ((Number)robots.get("crawler")).longValue());
            assertEquals(1L, ((Number)robots.get("automation")).longValue());
            assertEquals(1L, ((Number)robots.get("spam_referrer")).longValue());
            assertEquals(true, robots.get("kept"));

            assertEquals(1L, ((Number)engine.stats("shop.example", "kpis").get("visitors")).longValue());
            assertEquals(1L, ((Number)engine.stats("shop.example", "kpis").get("pageviews")).longValue());
            final List<Object> browsers = (List<Object>)engine.stats("shop.example", "browsers").get("browsers");
            assertEquals(1, browsers.size(), browsers.toString());
            final List<Object> sessions = (List<Object>)engine.stats("shop.example", "sessions?period=today").get("sessions");
            assertEquals(1, sessions.size(), "robots' sessions are not listed: " + sessions);
        }
    }

    @Test
    void aNewUserAgentsBodyArrivingAfterItsHeadIsReadOnceClassified() throws Exception
    {
        try (TestEngine engine = start(dataDir, false); RawHttp http = new RawHttp(engine.port()))
        {
            final String agent = "Mozilla/5.0 (X11; Linux x86_64; rv:122.0) Gecko/20100101 Firefox/122.0";
            final byte[] body = PAGEVIEW.getBytes(StandardCharsets.UTF_8);
            final String head = "POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nUser-Agent: " + agent +
                "\r\nContent-Length: " + body.length + "\r\n\r\n";
            // the head alone, then the body, then a pipelined robot beacon behind it on the same connection
            http.send(head.getBytes(StandardCharsets.ISO_8859_1));
            Thread.sleep(50);
            http.send(RawHttp.concat(body, RawHttp.post("/api/event", "application/json", PAGEVIEW, "User-Agent: curl/7.88.1")));
            assertEquals(202, http.read().status());
            assertEquals(202, http.read().status());
            final List<Map<String, Object>> journal = engine.dump();
            assertEquals(1, journal.size(), journal.toString());
            assertEquals("Firefox", journal.get(0).get("browser"));
            assertEquals("Linux", journal.get(0).get("os"));
            assertEquals(1L, ((Number)robotsOf(engine.health()).get("automation")).longValue());
        }
    }

    /**
     * An event whose User-Agent the HTTP layer did not have classified (its queue was full, or the analyzer was still
     * being built) is journaled at once with the audience unknown, counted; its User-Agent is classified meanwhile,
     * so the next event of it is known.
     */
    @Test
    @SuppressWarnings("unchecked")
    void anEventNotClassifiedAtTheHeadGoesOnUnknownAndCountedAndTheNextIsKnown() throws Exception
    {
        try (TestEngine engine = start(dataDir, false))
        {
            final io.tally.engine.identity.IpAddress client = new io.tally.engine.identity.IpAddress();
            client.parse("198.51.100.200");
            final io.netty.buffer.ByteBuf body = io.netty.buffer.Unpooled.copiedBuffer(PAGEVIEW, StandardCharsets.UTF_8);
            try
            {
                assertEquals(io.tally.codec.Outcome.ACCEPTED, engine.engine().ingestor().ingest(body, client, SAFARI_IPHONE)
                    .outcome());
                final AudienceClassifier classifier = engine.engine().ingestServices().screening().classifier();
                final long deadline = System.nanoTime() + 30_000_000_000L;
                while (classifier.find(new AudienceCache.Probe().wrap(SAFARI_IPHONE)) == null && System.nanoTime() < deadline)
                {
                    Thread.sleep(5);
                }
                body.readerIndex(0);
                assertEquals(io.tally.codec.Outcome.ACCEPTED, engine.engine().ingestor().ingest(body, client, SAFARI_IPHONE)
                    .outcome());
            }
            finally
            {
                body.release();
            }
            final List<Map<String, Object>> journal = engine.dump();
            assertNull(journal.get(0).get("browser"), "unknown: " + journal.get(0));
            assertNull(journal.get(0).get("device"));
            assertEquals("Safari", journal.get(1).get("browser"));
            assertEquals("mobile", journal.get(1).get("device"));
            final Map<String, Object> userAgents = (Map<String, Object>)((Map<String, Object>)engine.health().get("audience"))
                .get("user_agents");
            assertEquals(1L, ((Number)userAgents.get("unclassified_events")).longValue());
            assertEquals(true, userAgents.get("ready"));
        }
    }
}
