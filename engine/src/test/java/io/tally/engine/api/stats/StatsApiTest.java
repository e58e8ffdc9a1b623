package io.tally.engine.api.stats;

import io.tally.codec.json.Json;
import io.tally.engine.site.Site;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stats API over the real server, fed by the rollup agent from the real journal, across a restart. */
class StatsApiTest
{
    private static final String TOKEN = "stats-token";

    @TempDir
    Path dataDir;

    private TestEngine start()
    {
        return TestEngine.start(dataDir, b -> b.adminToken(TOKEN));
    }

    private static RawHttp.Answer get(final TestEngine engine, final String path, final String token) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            return http.exchange(("GET " + path + " HTTP/1.1\r\nHost: x\r\n" +
                (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static Map<String, Object> stats(final TestEngine engine, final String report) throws IOException
    {
        engine.awaitRollups();
        final RawHttp.Answer answer = get(engine, "/api/v1/stats/shop.example/" + report, TOKEN);
        assertEquals(200, answer.status(), answer.body());
        return Json.parseObject(answer.body());
    }

    private static void send(final TestEngine engine, final String userAgent, final String beacon) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", beacon, "User-Agent: " + userAgent)).status());
        }
    }

    private static void post(final TestEngine engine, final String path, final String body) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            final RawHttp.Answer answer = http.exchange(RawHttp.concat(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                bytes.length + "\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), bytes));
            assertEquals(201, answer.status(), answer.body());
        }
    }

    @Test
    void kpisGoalsAndEventsComeFromTheRollupsAndSurviveARestart() throws IOException
    {
        try (TestEngine engine = start())
        {
            assertEquals(401, get(engine, "/api/v1/stats/shop.example/kpis", null).status());
            assertEquals(404, get(engine, "/api/v1/stats/nobody.example/kpis", TOKEN).status());
            assertEquals(400, get(engine, "/api/v1/stats/shop.example/kpis?period=fortnight", TOKEN).status());
            assertEquals(400, get(engine, "/api/v1/stats/shop.example/kpis?from=2026-02-30&to=2026-03-01", TOKEN).status());

            send(engine, "A", "{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
            send(engine, "A", "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/x\",\"mk\":[\"plan\"],\"mv\":[\"pro\"]," +
                "\"ra\":19.99,\"rc\":\"eur\"}");
            final Map<String, Object> noGoals = stats(engine, "kpis?period=today");
            assertFalse(noGoals.containsKey("conversions"), "conversion figures only when a conversion goal exists");

            post(engine, "/api/v1/sites/shop.example/goals", "{\"name\":\"Buy\",\"value\":{\"amount\":\"10.00\"},\"type\":\"custom\"," +
                "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Purchase\"}]}");
            send(engine, "B", "{\"t\":\"p\",\"u\":\"https://shop.example/landing?utm_campaign=Spring\",\"r\":\"https://www.news.example/x\"}");
            send(engine, "B", "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/x\",\"mk\":[\"plan\"],\"mv\":[\"team\"]," +
                "\"ra\":5,\"rc\":\"EUR\"}");
            send(engine, "B", "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/x\",\"mk\":[\"plan\"],\"mv\":[\"pro\"]}");
            send(engine, "C", "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\",\"el\":\"footer\",\"ec\":\"cta\"}");
            assertFigures(engine);
        }
        assertTrue(dataDir.resolve("rollups.ckpt").toFile().exists(), "closing writes a checkpoint");
        try (TestEngine engine = start())
        {
            assertFigures(engine);
        }
    }

    @Test
    void theSessionsReportReadsBackItsScanLimitOfRecordsAndNoFurther() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String pageview = "{\"t\":\"p\",\"u\":\"https://shop.example/\"}";
            send(engine, "oldest", pageview);
            try (RawHttp http = new RawHttp(engine.port()))
            {
                for (int i = 1; i < StatsApi.MAX_SESSION_SCAN; i++)
                {
                    assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", pageview,
                        "User-Agent: newer")).status());
                }
            }
            assertEquals(2, sessionCount(engine), "at the limit, the oldest record is the scan's last");
            send(engine, "newer", pageview);
            assertEquals(1, sessionCount(engine), "one record past it, the oldest session is out of reach");
        }
    }

    private static int sessionCount(final TestEngine engine) throws IOException
    {
        return ((List<?>)Json.parseObject(get(engine, "/api/v1/stats/shop.example/sessions?period=today", TOKEN).body())
            .get("sessions")).size();
    }

    /** A full page of sessions still has every event of each (read newest first, past other sessions' events). */
    @Test
    @SuppressWarnings("unchecked")
    void aPageOfSessionsHasAllTheirEventsThoughOthersCameBetween() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(TOKEN)))
        {
            send(engine, "A", "{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
            send(engine, "B", "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\"}");
            send(engine, "A", "{\"t\":\"p\",\"u\":\"https://shop.example/join\"}");
            send(engine, "B", "{\"t\":\"p\",\"u\":\"https://shop.example/done\"}");
            final List<Map<String, Object>> one = (List<Map<String, Object>>)Json.parseObject(get(engine,
                "/api/v1/stats/shop.example/sessions?period=today&limit=1", TOKEN).body()).get("sessions");
            assertEquals(1, one.size());
            assertEquals(List.of("/pricing", "/done"), ((List<Map<String, Object>>)one.get(0).get("events")).stream()
                .map(e -> e.get("path")).toList(), "B, the newest, with its first event too");
            final List<Map<String, Object>> two = (List<Map<String, Object>>)Json.parseObject(get(engine,
                "/api/v1/stats/shop.example/sessions?period=today&limit=2", TOKEN).body()).get("sessions");
            assertEquals(List.of("/", "/join"), ((List<Map<String, Object>>)two.get(1).get("events")).stream()
                .map(e -> e.get("path")).toList(), "then A, whole");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void recentSessionsShowTheirEventsWithGoalsAndASiteReadTokenReadsOnlyStats() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(TOKEN)
            .sites(List.of(new Site("shop.example", List.of(), "Europe/Berlin", "reader"), new Site("blog.example")))))
        {
            post(engine, "/api/v1/sites/shop.example/goals", "{\"name\":\"Signup\",\"type\":\"custom\"," +
                "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Signup\"}]}");
            send(engine, "A", "{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
            send(engine, "A", "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\"}");
            send(engine, "B", "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\"}");
            send(engine, "C", "{\"t\":\"p\",\"u\":\"https://blog.example/\"}");

            final Map<String, Object> all = Json.parseObject(get(engine, "/api/v1/stats/shop.example/sessions?period=today",
                "reader").body());
            final List<Map<String, Object>> sessions = (List<Map<String, Object>>)all.get("sessions");
            assertEquals(2, sessions.size(), "the blog's session is not the shop's");
            assertEquals(false, sessions.get(0).get("converted"), "most recent first: B");
            final Map<String, Object> converted = ((List<Map<String, Object>>)Json.parseObject(get(engine,
                "/api/v1/stats/shop.example/sessions?converted=true&period=today", "reader").body()).get("sessions")).get(0);
            final List<Map<String, Object>> events = (List<Map<String, Object>>)converted.get("events");
            assertEquals(List.of("pageview", "Signup"), events.stream().map(e -> e.get("name")).toList(), "oldest event first");
            assertEquals("Signup", events.get(1).get("goal"));
            assertEquals(true, events.get(1).get("conversion"));
            assertEquals(null, events.get(0).get("goal"));

            assertEquals(200, get(engine, "/api/v1/stats/shop.example/kpis", "reader").status());
            assertEquals(401, get(engine, "/api/v1/stats/blog.example/kpis", "reader").status(), "a read token reads its site only");
            assertEquals(401, get(engine, "/api/v1/sites/shop.example/goals", "reader").status(), "and no admin endpoint");
            assertEquals(400, get(engine, "/api/v1/stats/shop.example/sessions?limit=101", "reader").status());
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertFigures(final TestEngine engine) throws IOException
    {
        final Map<String, Object> kpis = stats(engine, "kpis?period=7d&compare=previous");
        assertEquals(new BigDecimal(3), kpis.get("visitors"));
        assertEquals(new BigDecimal(2), kpis.get("pageviews"));
        assertEquals(new BigDecimal(4), kpis.get("events"));
        assertEquals(new BigDecimal(1), kpis.get("conversions"), "fire-once: B converts once, A bought before the goal existed");
        assertEquals(new BigDecimal("33.33"), kpis.get("conversion_rate"));
        assertEquals(List.of(Map.of("currency", "EUR", "amount", "24.99")), kpis.get("revenue"));
        final Map<String, Object> previous = (Map<String, Object>)kpis.get("previous");
        assertEquals(BigDecimal.ZERO, previous.get("visitors"));
        assertEquals(LocalDate.now(ZoneOffset.UTC).minusDays(7).toString(), previous.get("to"));

        final Map<String, Object> goal = ((List<Map<String, Object>>)stats(engine, "goals?period=today").get("goals")).get(0);
        assertEquals("Buy", goal.get("name"));
        assertEquals(BigDecimal.ONE, goal.get("conversions"));
        assertEquals(BigDecimal.ONE, goal.get("visitors"));
        assertEquals(new BigDecimal(2), goal.get("matches"));
        assertEquals(List.of(Map.of("currency", "USD", "amount", "10.00")), goal.get("value"));
        assertEquals(List.of(Map.of("currency", "EUR", "amount", "5")), goal.get("revenue"), "revenue of every matching event");

        final List<Map<String, Object>> events = (List<Map<String, Object>>)stats(engine, "events?period=30d").get("events");
        assertEquals("Purchase", events.get(0).get("name"));
        assertEquals(new BigDecimal(3), events.get(0).get("events"));
        assertEquals(new BigDecimal(2), events.get(0).get("visitors"));
        assertEquals("Signup", events.get(1).get("name"));
        final Map<String, Object> meta = stats(engine, "events?period=today");
        assertEquals(List.of(Map.of("label", "footer", "events", BigDecimal.ONE)), meta.get("labels"));
        assertEquals(List.of(Map.of("category", "cta", "events", BigDecimal.ONE)), meta.get("categories"));
        assertEquals(List.of(), meta.get("actions"));

        final Map<String, Object> properties = (Map<String, Object>)stats(engine, "events?name=Purchase&period=today").get("properties");
        assertEquals(List.of(Map.of("value", "pro", "events", new BigDecimal(2), "visitors", new BigDecimal(2)),
            Map.of("value", "team", "events", BigDecimal.ONE, "visitors", BigDecimal.ONE)), properties.get("plan"));

        final Map<String, Object> daily = stats(engine, "timeseries?metric=visitors&interval=day&period=7d");
        final List<Map<String, Object>> points = (List<Map<String, Object>>)daily.get("points");
        assertEquals(7, points.size());
        assertEquals(LocalDate.now(ZoneOffset.UTC).toString(), points.get(6).get("start"));
        assertEquals(new BigDecimal(3), points.get(6).get("value"));
        assertEquals(BigDecimal.ZERO, points.get(0).get("value"));
        final List<Map<String, Object>> hourly = (List<Map<String, Object>>)stats(engine,
            "timeseries?metric=events&interval=hour&period=today").get("points");
        assertEquals(24, hourly.size());
        assertEquals(new BigDecimal(4), hourly.stream().map(p -> (BigDecimal)p.get("value")).reduce(BigDecimal.ZERO, BigDecimal::add));
        assertEquals(400, get(engine, "/api/v1/stats/shop.example/timeseries?interval=hour&period=12mo", TOKEN).status());
        assertEquals(400, get(engine, "/api/v1/stats/shop.example/timeseries?metric=bounces", TOKEN).status());

        final Map<String, Object> sources = stats(engine, "sources?goal=Buy&touch=first&dimension=referrer&period=today");
        assertEquals(List.of(Map.of("source", "news.example", "conversions", BigDecimal.ONE)), sources.get("sources"),
            "B first came from news.example");
        assertEquals(List.of(Map.of("source", "spring", "conversions", BigDecimal.ONE)),
            stats(engine, "sources?goal=Buy&touch=last&dimension=utm_campaign&period=today").get("sources"));
        assertEquals(List.of(Map.of("page", "/landing", "conversions", BigDecimal.ONE)),
            stats(engine, "pages?goal=Buy&period=today").get("pages"));
        assertEquals(400, get(engine, "/api/v1/stats/shop.example/sources?goal=Buy&dimension=color", TOKEN).status());
        assertEquals(400, get(engine, "/api/v1/stats/shop.example/sources?touch=last", TOKEN).status());

        final String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertEquals(new BigDecimal(3), stats(engine, "kpis?from=" + today + "&to=" + today).get("visitors"));
        assertEquals(BigDecimal.ZERO, stats(engine, "kpis?from=2020-01-01&to=2020-01-31").get("visitors"));
    }
}
