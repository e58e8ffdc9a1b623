package io.tally.engine.api.stats;

import io.tally.codec.json.Json;
import io.tally.engine.site.Site;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code GET /api/v1/stats/{site}/realtime} over the real server and journal: the last half hour's events of the site
 * by people (not another site's, a robot's, or one sent with an older time), read by a share link too, and its scan
 * bound held at and past it.
 */
class RealtimeReportTest
{
    private static final String ADMIN = "admin-token";
    private static final String REALTIME = "/api/v1/stats/shop.example/realtime";

    @TempDir
    Path dataDir;

    private TestEngine start()
    {
        return TestEngine.start(dataDir, b -> b.adminToken(ADMIN).sites(List.of(new Site("shop.example"), new Site("blog.example"))));
    }

    private static void send(final RawHttp http, final String userAgent, final String beacon) throws IOException
    {
        assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", beacon, "User-Agent: " + userAgent)).status());
    }

    private static Map<String, Object> realtime(final TestEngine engine, final String token) throws IOException
    {
        final RawHttp.Answer answer = engine.call("GET", REALTIME, null, token);
        assertEquals(200, answer.status(), answer.body());
        return Json.parseObject(answer.body());
    }

    private static long number(final Map<String, Object> body, final String key)
    {
        return ((Number)body.get(key)).longValue();
    }

    @Test
    void theLastHalfHoursEventsOfTheSiteByPeople() throws IOException
    {
        try (TestEngine engine = start())
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                send(http, "A", "{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
                send(http, "A", "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\"}");
                send(http, "B", "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\"}");
                send(http, "B", "{\"t\":\"p\",\"u\":\"https://blog.example/\"}");
                send(http, "Googlebot/2.1 (+http://www.google.com/bot.html)", "{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
            }
            final String old = "{\"t\":\"p\",\"u\":\"https://shop.example/old\",\"vid\":\"past\",\"ts\":" +
                (System.currentTimeMillis() - 3_600_000L) + "}\n";
            assertEquals(200, engine.call("POST", "/api/v1/events", old, engine.siteToken("shop.example", ADMIN)).status());

            final Map<String, Object> body = realtime(engine, ADMIN);
            assertEquals(3L, number(body, "events"), body.toString());
            assertEquals(2L, number(body, "pageviews"));
            assertEquals(2L, number(body, "visitors"));
            assertEquals(30, ((List<?>)body.get("per_minute")).size());
            assertEquals(3L, ((List<?>)body.get("per_minute")).stream().mapToLong(m -> ((Number)m).longValue()).sum());
            assertEquals(false, body.get("capped"));

            final String share = (String)Json.parseObject(engine.call("POST", "/api/v1/sites/shop.example/shares", null, ADMIN).body()).get("id");
            assertEquals(3L, number(realtime(engine, share), "events"), "a share link reads it");
            assertEquals(401, engine.call("GET", REALTIME, null, "nobody").status());
            final RawHttp.Answer period = engine.call("GET", REALTIME + "?period=7d", null, ADMIN);
            assertEquals(400, period.status());
            assertEquals("unknown parameter 'period': realtime takes filters", Json.parseObject(period.body()).get("detail"));
        }
    }

    @Test
    void theScanStopsAtItsBoundAndSaysSo() throws IOException
    {
        try (TestEngine engine = start())
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                for (int i = 0; i < RealtimeReport.MAX_SCAN; i++)
                {
                    send(http, "A", "{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
                }
            }
            final Map<String, Object> atTheBound = realtime(engine, ADMIN);
            assertEquals((long)RealtimeReport.MAX_SCAN, number(atTheBound, "events"));
            assertEquals(false, atTheBound.get("capped"), "every recent record was read");
            try (RawHttp http = new RawHttp(engine.port()))
            {
                send(http, "A", "{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
            }
            final Map<String, Object> past = realtime(engine, ADMIN);
            assertEquals((long)RealtimeReport.MAX_SCAN, number(past, "events"), "a lower bound");
            assertEquals(true, past.get("capped"));
        }
    }
}
