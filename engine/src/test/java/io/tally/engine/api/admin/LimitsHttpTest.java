package io.tally.engine.api.admin;

import io.tally.codec.json.Json;
import io.tally.engine.limit.Limiters;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code GET/PUT /api/v1/limits} on the real server: live changes keep buckets; per-site overrides for trusted batches. */
class LimitsHttpTest
{
    private static final String ADMIN = "admin-token";
    private static final String PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/\"}";

    @TempDir
    Path dataDir;

    private static int beacon(final RawHttp http) throws IOException
    {
        return http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status();
    }

    @Test
    void aChangeTakesEffectLiveAndKeepsTheBuckets() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN).ingestRateLimit(0.01).ingestBurst(2)))
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(202, beacon(http));
                assertEquals(202, beacon(http), "at the burst");
                assertEquals(429, beacon(http), "one past the burst");
                assertEquals(429, beacon(http));

                final RawHttp.Answer changed = engine.call("PUT", "/api/v1/limits", "{\"burst\": 4}", ADMIN);
                assertEquals(200, changed.status(), changed.body());
                final Map<String, Object> limits = Json.parseObject(changed.body());
                assertEquals(new BigDecimal(4), limits.get("burst"));
                assertEquals(new BigDecimal("0.01"), limits.get("rate_per_second"), "a key not given keeps its value");
                assertEquals(BigDecimal.ONE, limits.get("tracked_addresses"), "the bucket survived the change");

                assertEquals(202, beacon(http), "the bucket holds 2 of now 4: two more");
                assertEquals(202, beacon(http));
                assertEquals(429, beacon(http), "the kept bucket, not a fresh one of 4");
            }
            final Map<String, Object> limits = Json.parseObject(engine.call("GET", "/api/v1/limits", null, ADMIN).body());
            assertEquals(new BigDecimal(3), limits.get("limited"));
            assertEquals(BigDecimal.ONE, limits.get("limited_addresses"));
            final List<?> top = (List<?>)limits.get("top_limited");
            assertEquals(1, top.size());
            assertEquals("127.0.0.1", ((Map<?, ?>)top.get(0)).get("address"));
            assertEquals(new BigDecimal(3), ((Map<?, ?>)top.get(0)).get("limited"));
            assertEquals(4, engine.dump().size());
        }
    }

    @Test
    void rateZeroTurnsTheLimiterOffLive() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN).ingestRateLimit(0.01).ingestBurst(1)))
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(202, beacon(http));
                assertEquals(429, beacon(http));
                assertEquals(200, engine.call("PUT", "/api/v1/limits", "{\"rate_per_second\": 0}", ADMIN).status());
                for (int i = 0; i < 10; i++)
                {
                    assertEquals(202, beacon(http));
                }
            }
        }
    }

    @Test
    void aSiteOverrideAppliesToItsTrustedBatchesAndBeaconsKeepTheDefault() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN).ingestRateLimit(0.01).ingestBurst(1)
            .siteLimits(Map.of("shop.example", new Limiters.Setting(0.01, 3)))))
        {
            final String token = (String)Json.parseObject(engine.call("POST", "/api/v1/sites/shop.example/tokens", null, ADMIN)
                .body()).get("token");
            try (RawHttp http = new RawHttp(engine.port()))
            {
                for (int i = 0; i < 3; i++)
                {
                    assertEquals(200, trusted(http, token), "trusted batch " + i + " within the override's burst of 3");
                }
                assertEquals(429, trusted(http, token), "one past the override's burst");
                assertEquals(202, beacon(http), "beacons take the default limiter's own bucket");
                assertEquals(429, beacon(http), "one past the default burst of 1");
            }
            final Map<String, Object> limits = Json.parseObject(engine.call("GET", "/api/v1/limits", null, ADMIN).body());
            final Map<?, ?> site = (Map<?, ?>)((Map<?, ?>)limits.get("sites")).get("shop.example");
            assertEquals(new BigDecimal(3), site.get("burst"));
            assertEquals(BigDecimal.ONE, site.get("limited"));
            assertEquals(BigDecimal.ONE, limits.get("limited"));

            final RawHttp.Answer removed = engine.call("PUT", "/api/v1/limits", "{\"sites\": {\"shop.example\": null}}", ADMIN);
            assertEquals(Map.of(), Json.parseObject(removed.body()).get("sites"));
        }
    }

    @Test
    void badChangesAreRefusedAndChangeNothing() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN).ingestRateLimit(5).ingestBurst(10)))
        {
            assertEquals(401, engine.call("GET", "/api/v1/limits", null, null).status());
            assertRefused(engine, "{\"burst\": -1}", "burst: a number >= 0");
            assertRefused(engine, "{\"burst\": 1.5}", "burst: a whole number");
            assertRefused(engine, "{\"rate_per_second\": \"fast\"}", "rate_per_second: a number >= 0");
            assertRefused(engine, "{\"sites\": {\"nobody.example\": {\"burst\": 5}}}", "sites: no site 'nobody.example' is configured");
            assertRefused(engine, "[1]", "send a JSON object");
            assertEquals(405, engine.call("DELETE", "/api/v1/limits", null, ADMIN).status());
            final Map<String, Object> limits = Json.parseObject(engine.call("GET", "/api/v1/limits", null, ADMIN).body());
            assertEquals(new BigDecimal(10), limits.get("burst"));
            assertEquals(new BigDecimal("5.0"), limits.get("rate_per_second"));
        }
    }

    @Test
    void anUnknownKeyOrABadValueIsRefusedByNameAndChangesNothing() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN).ingestRateLimit(5).ingestBurst(10)))
        {
            assertRefused(engine, "{\"rate\": -1}", "rate: unknown key (rate_per_second, burst, sites)");
            assertRefused(engine, "{\"burst\": 20, \"rate\": 1}", "rate: unknown key (rate_per_second, burst, sites)");
            assertRefused(engine, "{\"sites\": {\"shop.example\": {\"burst\": 5, \"rate\": 1}}}",
                "sites.shop.example.rate: unknown key (rate_per_second, burst)");
            assertRefused(engine, "{\"sites\": {\"shop.example\": {\"sites\": {}}}}",
                "sites.shop.example.sites: unknown key (rate_per_second, burst)");
            assertRefused(engine, "{\"rate_per_second\": -1}", "rate_per_second: a number >= 0");
            assertRefused(engine, "{\"rate_per_second\": 1e400}", "rate_per_second: too large");
            assertRefused(engine, "{\"burst\": 2147483648}", "burst: a whole number");
            assertRefused(engine, "{\"sites\": [\"shop.example\"]}", "sites: an object of site domains");
            final Map<String, Object> limits = Json.parseObject(engine.call("GET", "/api/v1/limits", null, ADMIN).body());
            assertEquals(new BigDecimal(10), limits.get("burst"), "the refused change with a valid burst changed nothing");
            assertEquals(new BigDecimal("5.0"), limits.get("rate_per_second"));
            assertEquals(Map.of(), limits.get("sites"));
            final RawHttp.Answer edge = engine.call("PUT", "/api/v1/limits", "{\"burst\": 2147483647}", ADMIN);
            assertEquals(200, edge.status(), edge.body());
        }
    }

    private static void assertRefused(final TestEngine engine, final String body, final String detail) throws IOException
    {
        final RawHttp.Answer answer = engine.call("PUT", "/api/v1/limits", body, ADMIN);
        assertEquals(400, answer.status(), body);
        assertEquals(Map.of("error", "invalid_limits", "detail", detail), Json.parseObject(answer.body()), body);
    }

    private static int trusted(final RawHttp http, final String token) throws IOException
    {
        return http.exchange(RawHttp.post("/api/v1/events", "application/json", PAGEVIEW, "Authorization: Bearer " + token))
            .status();
    }
}
