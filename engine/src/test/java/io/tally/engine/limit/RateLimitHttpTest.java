package io.tally.engine.limit;

import io.tally.codec.Outcome;
import io.tally.codec.json.Json;
import io.tally.engine.EngineConfig;
import io.tally.engine.identity.AddressRanges;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-IP limiter on the real server: burst, 429 with Retry-After, addresses from sockets and proxies. */
class RateLimitHttpTest
{
    private static final String PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/\"}";

    @TempDir
    Path dataDir;
    private TestEngine engine;

    private void start(final UnaryOperator<EngineConfig.Builder> customize)
    {
        engine = TestEngine.start(dataDir, customize);
    }

    @AfterEach
    void stop()
    {
        engine.close();
    }

    private static int post(final RawHttp http, final String... headers) throws IOException
    {
        return http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW, headers)).status();
    }

    @Test
    void theBurstIsTakenThenRefusedWith429AndRetryAfter() throws IOException
    {
        start(b -> b.ingestRateLimit(0.5).ingestBurst(40));
        try (RawHttp http = new RawHttp(engine.port()))
        {
            for (int i = 0; i < 40; i++)
            {
                assertEquals(202, post(http), "request " + i + " of the burst");
            }
            final RawHttp.Answer limited = http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW));
            assertEquals(429, limited.status());
            assertEquals("rate_limited", Json.parseObject(limited.body()).get("error"));
            assertEquals("2", limited.header("retry-after"), "one token per 2 s, rounded up to whole seconds");
            assertEquals(404, http.exchange(RawHttp.post("/api/nothing", "application/json", PAGEVIEW)).status(),
                "the connection stays usable after a 429");
        }
        assertEquals(40, engine.dump().size(), "a limited beacon is never journaled");
        assertEquals(1, engine.engine().counters().count(Outcome.RATE_LIMITED));
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final Map<String, Object> health = Json.parseObject(http.exchange(
                "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).body());
            assertEquals(Map.of("accepted", new BigDecimal(40), "rate_limited", BigDecimal.ONE), health.get("answers"));
            final Map<?, ?> limiter = (Map<?, ?>)health.get("limiter");
            assertEquals(BigDecimal.ONE, limiter.get("limited"));
            assertEquals(BigDecimal.ONE, limiter.get("tracked_addresses"));
            assertEquals(new BigDecimal(40), limiter.get("burst"));
        }
    }

    @Test
    void eachSocketAddressHasItsOwnBucket() throws IOException
    {
        start(b -> b.ingestRateLimit(0.01).ingestBurst(2));
        for (final String local : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"))
        {
            try (RawHttp http = new RawHttp(engine.port(), local))
            {
                assertEquals(202, post(http));
                assertEquals(202, post(http));
                assertEquals(429, post(http), local);
            }
        }
    }

    @Test
    void forwardedForCountsOnlyThroughATrustedProxy() throws IOException
    {
        start(b -> b.ingestRateLimit(0.01).ingestBurst(1).trustedProxies(AddressRanges.parse(List.of("127.0.0.1"))));
        try (RawHttp proxy = new RawHttp(engine.port(), "127.0.0.1"))
        {
            for (int client = 1; client <= 50; client++)
            {
                assertEquals(202, post(proxy, "X-Forwarded-For: 203.0.113." + client), "client " + client);
            }
            assertEquals(429, post(proxy, "X-Forwarded-For: 203.0.113.7"), "the same client again");
            assertEquals(429, post(proxy, "X-Forwarded-For: 198.51.100.1, 203.0.113.7"),
                "a spoofed left part does not make a new client");
        }
        try (RawHttp untrusted = new RawHttp(engine.port(), "127.0.0.9"))
        {
            assertEquals(202, post(untrusted, "X-Forwarded-For: 192.0.2.1"));
            assertEquals(429, post(untrusted, "X-Forwarded-For: 192.0.2.2"), "an untrusted peer's header is ignored");
        }
    }

    @Test
    void turnedOffItNeverRefuses() throws IOException
    {
        start(b -> b.ingestRateLimit(0).ingestBurst(40));
        try (RawHttp http = new RawHttp(engine.port()))
        {
            for (int i = 0; i < 200; i++)
            {
                assertEquals(202, post(http));
            }
        }
        assertEquals(0, engine.engine().counters().count(Outcome.RATE_LIMITED));
        assertEquals(200, engine.dump().size());
    }
}
