package io.tally.engine.limit;

import io.tally.codec.Outcome;
import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A site's monthly event quota on the real server: at it, past it, across a restart, in the stats API, changed live. */
class QuotaHttpTest
{
    private static final String ADMIN = "admin-token";
    private static final String PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/\"}";
    private static final String CUSTOM = "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\"}";
    private static final String CLICK = "{\"t\":\"c\",\"u\":\"https://shop.example/\",\"h\":\"https://elsewhere.example/\"}";
    private static final String ENGAGEMENT = "{\"t\":\"x\",\"u\":\"https://shop.example/\",\"sec\":5}";

    @TempDir
    Path dataDir;

    private TestEngine start(final long quota)
    {
        return TestEngine.start(dataDir, b -> b.adminToken(ADMIN).quotas(Map.of("shop.example", quota)));
    }

    private static RawHttp.Answer beacon(final RawHttp http, final String body) throws IOException
    {
        return http.exchange(RawHttp.post("/api/event", "application/json", body));
    }

    @Test
    void pageviewsAndCustomEventsCountUpToTheQuotaAndOnePastIsRefused() throws IOException
    {
        try (TestEngine engine = start(3); RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(202, beacon(http, PAGEVIEW).status());
            assertEquals(202, beacon(http, CUSTOM).status());
            assertEquals(202, beacon(http, CLICK).status(), "at the quota");
            final RawHttp.Answer refused = beacon(http, PAGEVIEW);
            assertEquals(429, refused.status(), "one past the quota");
            assertEquals("quota_exceeded", Json.parseObject(refused.body()).get("error"));
            final long retryAfter = Long.parseLong(refused.header("retry-after"));
            assertTrue(retryAfter > 0 && retryAfter <= 31L * 86_400, "until the month ends: " + retryAfter);
            assertEquals(429, beacon(http, CUSTOM).status(), "custom events are refused as pageviews are");
            assertEquals(202, beacon(http, ENGAGEMENT).status(), "engagement is not an event that counts");

            assertEquals(4, engine.dump().size(), "refused beacons are never journaled");
            assertEquals(2, engine.engine().counters().count(Outcome.QUOTA_EXCEEDED));
            final Map<String, Object> usage = usage(engine);
            assertEquals(new BigDecimal(3), usage.get("events"));
            assertEquals(new BigDecimal(3), usage.get("quota"));
            assertEquals(BigDecimal.ZERO, usage.get("remaining"));
            assertEquals(YearMonth.now(ZoneOffset.UTC).toString(), usage.get("month"));
            assertTrue(engine.call("GET", "/metrics", null, null).body()
                .contains("tally_rejections_total{code=\"quota_exceeded\"} 2.0"));
        }
    }

    @Test
    void usageIsRebuiltFromTheJournalAtStart() throws IOException
    {
        try (TestEngine engine = start(2); RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(202, beacon(http, PAGEVIEW).status());
            assertEquals(202, beacon(http, ENGAGEMENT).status());
        }
        try (TestEngine engine = start(2); RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(new BigDecimal(1), usage(engine).get("events"), "the pageview, not the engagement");
            assertEquals(202, beacon(http, PAGEVIEW).status());
            assertEquals(429, beacon(http, PAGEVIEW).status());
        }
    }

    @Test
    void trustedLinesPastTheQuotaAreRefusedByLineAndTheirIdsAreNotKeptAsSeen() throws IOException
    {
        try (TestEngine engine = start(1))
        {
            final String token = (String)Json.parseObject(engine.call("POST", "/api/v1/sites/shop.example/tokens", null, ADMIN)
                .body()).get("token");
            final String lines = "{\"t\":\"p\",\"u\":\"https://shop.example/a\",\"id\":\"a\"}\n" +
                "{\"t\":\"p\",\"u\":\"https://shop.example/b\",\"id\":\"b\"}\n";
            final Map<String, Object> first = Json.parseObject(batch(engine, token, lines).body());
            assertEquals(BigDecimal.ONE, first.get("accepted"));
            final Map<?, ?> rejected = (Map<?, ?>)((List<?>)first.get("rejected")).get(0);
            assertEquals(new BigDecimal(2), rejected.get("line"));
            assertEquals("quota_exceeded", rejected.get("error"));

            engine.engine().quotas().apply(Map.of("shop.example", 2L));
            final Map<String, Object> again = Json.parseObject(batch(engine, token, lines).body());
            assertEquals(BigDecimal.ONE, again.get("accepted"), "b is taken now that the quota is raised live");
            assertEquals(BigDecimal.ONE, again.get("duplicates"), "a was taken before");
        }
    }

    @Test
    void aSiteWithoutQuotaIsNeverRefusedButItsUsageIsShown() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN)); RawHttp http = new RawHttp(engine.port()))
        {
            for (int i = 0; i < 20; i++)
            {
                assertEquals(202, beacon(http, PAGEVIEW).status());
            }
            final Map<String, Object> usage = usage(engine);
            assertEquals(new BigDecimal(20), usage.get("events"));
            assertNull(usage.get("quota"));
            assertNull(usage.get("remaining"));
        }
    }

    private static Map<String, Object> usage(final TestEngine engine) throws IOException
    {
        final RawHttp.Answer answer = engine.call("GET", "/api/v1/stats/shop.example/usage", null, ADMIN);
        assertEquals(200, answer.status(), answer.body());
        return Json.parseObject(answer.body());
    }

    private static RawHttp.Answer batch(final TestEngine engine, final String token, final String ndjson) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            return http.exchange(RawHttp.post("/api/v1/events", "application/x-ndjson", ndjson, "Authorization: Bearer " + token));
        }
    }
}
