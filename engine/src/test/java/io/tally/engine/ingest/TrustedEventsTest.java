package io.tally.engine.ingest;

import io.tally.codec.json.Json;
import io.tally.engine.site.Site;
import io.tally.engine.site.SiteTokens;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trusted events API over the real server: tokens, NDJSON lines, time, visitors, idempotency. */
class TrustedEventsTest
{
    private static final String ADMIN = "admin-token";
    private static final int MAX_BODY = 1024;

    @TempDir
    Path dataDir;

    private TestEngine start()
    {
        return TestEngine.start(dataDir, b -> b.adminToken(ADMIN).maxBody(MAX_BODY)
            .sites(List.of(new Site("shop.example"), new Site("blog.example"))));
    }

    private static String token(final TestEngine engine, final String site) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer answer = http.exchange(("POST /api/v1/sites/" + site + "/tokens HTTP/1.1\r\nHost: x\r\n" +
                "Authorization: Bearer " + ADMIN + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(201, answer.status(), answer.body());
            return (String)Json.parseObject(answer.body()).get("token");
        }
    }

    private static RawHttp.Answer batch(final TestEngine engine, final String token, final String ndjson) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            return http.exchange(RawHttp.post("/api/v1/events", "application/x-ndjson", ndjson,
                token == null ? "X-None: 1" : "Authorization: Bearer " + token, "User-Agent: backend/1.0"));
        }
    }

    private static Map<String, Object> summary(final RawHttp.Answer answer)
    {
        assertEquals(200, answer.status(), answer.body());
        return Json.parseObject(answer.body());
    }

    @Test
    void aTokenWritesOnlyItsOwnSitesEvents() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String shop = token(engine, "shop.example");
            final String event = "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/\"}";
            assertEquals(401, batch(engine, null, event).status());
            assertEquals(401, batch(engine, "tally_forged", event).status());
            final RawHttp.Answer other = batch(engine, shop, "{\"t\":\"p\",\"u\":\"https://blog.example/\"}");
            assertEquals(403, other.status());
            assertEquals("forbidden_site", ((Map<?, ?>)((List<?>)Json.parseObject(other.body()).get("rejected")).get(0)).get("error"));
            assertEquals(new BigDecimal(1), summary(batch(engine, shop, event)).get("accepted"));
            assertEquals(1, engine.dump().size());
        }
    }

    @Test
    void goodLinesAreStoredAndBadOnesReportedByLine() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String shop = token(engine, "shop.example");
            final long now = System.currentTimeMillis();
            final String body = String.join("\n",
                "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/a\",\"ts\":1790000000000}",
                "",
                "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/b\",\"ts\":\"2026-03-01T10:15:00+01:00\"}\r",
                "not json",
                "{\"t\":\"e\",\"n\":\"Soon\",\"u\":\"https://shop.example/c\",\"ts\":" + (now + 240_000) + "}",
                "{\"t\":\"e\",\"n\":\"Later\",\"u\":\"https://shop.example/d\",\"ts\":" + (now + 600_000) + "}",
                "{\"t\":\"e\",\"n\":\"Bad ip\",\"u\":\"https://shop.example/e\",\"ip\":\"999.1.1.1\"}",
                "{\"t\":\"e\",\"n\":\"Long\",\"u\":\"https://shop.example/f\",\"x\":\"" + "a".repeat(MAX_BODY) + "\"}",
                atLimit("{\"t\":\"e\",\"n\":\"AtLimit\",\"u\":\"https://shop.example/g\""),
                "{\"t\":\"p\",\"u\":\"https://shop.example/last-without-newline\"}");
            final Map<String, Object> summary = summary(batch(engine, shop, body));
            assertEquals(new BigDecimal(5), summary.get("accepted"));
            assertEquals(new BigDecimal(4), summary.get("rejected_count"));
            final List<?> rejected = (List<?>)summary.get("rejected");
            assertEquals(List.of(4, 6, 7, 8), rejected.stream().map(r -> ((BigDecimal)((Map<?, ?>)r).get("line")).intValue()).toList());
            assertEquals(List.of("invalid_json", "invalid_timestamp", "invalid_ip", "line_too_long"),
                rejected.stream().map(r -> ((Map<?, ?>)r).get("error")).toList());

            final List<Map<String, Object>> records = engine.dump();
            assertEquals(List.of("/a", "/b", "/c", "/g", "/last-without-newline"), records.stream().map(r -> r.get("path")).toList());
            assertEquals(new BigDecimal(1790000000000L), records.get(0).get("time"));
            assertEquals(new BigDecimal(Instant.parse("2026-03-01T09:15:00Z").toEpochMilli()), records.get(1).get("time"));
            assertEquals("2026-03-01T09:15:00Z", records.get(1).get("time_iso"), "the event time in ISO-8601 beside it");
            assertEquals(Instant.ofEpochMilli(((BigDecimal)records.get(1).get("ts")).longValue()).toString(),
                records.get(1).get("ts_iso"), "the receive time in ISO-8601 beside it");
            assertTrue(((BigDecimal)records.get(4).get("time")).longValue() >= now, "without ts the event is timed on receipt");
        }
    }

    /**
     * A batch is a stream of any length: it is held to the read timeout between its pieces, not as a whole (a
     * beacon's whole request must arrive within it). Pieces 200 ms apart for 4 s pass a 2 s timeout.
     */
    @Test
    void aBatchStreamsLongerThanTheReadTimeoutWhileItsPiecesKeepComing() throws Exception
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN).maxBody(MAX_BODY)
            .readTimeout(java.time.Duration.ofSeconds(2))))
        {
            final String shop = token(engine, "shop.example");
            final int lines = 20;
            final long started = System.nanoTime();
            try (RawHttp http = new RawHttp(engine.port()))
            {
                http.send("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + shop +
                    "\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n");
                for (int i = 0; i < lines; i++)
                {
                    final byte[] line = ("{\"t\":\"e\",\"n\":\"Slow\",\"u\":\"https://shop.example/s" + i + "\"}\n")
                        .getBytes(StandardCharsets.UTF_8);
                    http.send(Integer.toHexString(line.length) + "\r\n");
                    http.send(line);
                    http.send("\r\n");
                    Thread.sleep(200);
                }
                http.send("0\r\n\r\n");
                assertEquals(new BigDecimal(lines), summary(http.read()).get("accepted"));
            }
            assertTrue(System.nanoTime() - started > 3_000_000_000L, "the batch took longer than the read timeout");
            assertEquals(lines, engine.dump().size());
        }
    }

    @Test
    void aCurrencyOutsideIso4217IsRefusedOnItsLineAndAZeroAmountIsStoredAsZero() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String shop = token(engine, "shop.example");
            final Map<String, Object> summary = summary(batch(engine, shop, String.join("\n",
                "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/a\",\"ra\":5,\"rc\":\"ZZZ\"}",
                "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/b\",\"ra\":-0.0,\"rc\":\"chf\"}")));
            assertEquals(BigDecimal.ONE, summary.get("accepted"));
            assertEquals(List.of(Map.of("line", BigDecimal.ONE, "error", "invalid_currency",
                "detail", "'rc' is not an ISO 4217 currency code (at byte 66)")), summary.get("rejected"));
            final List<Map<String, Object>> records = engine.dump();
            assertEquals(1, records.size());
            assertEquals(Map.of("amount", "0", "currency", "CHF"), records.get(0).get("revenue"));
        }
    }

    /** {@code head} closed into an object padded with spaces to exactly {@link #MAX_BODY} bytes. */
    private static String atLimit(final String head)
    {
        return head + " ".repeat(MAX_BODY - head.length() - 1) + "}";
    }

    @Test
    void aLargeBatchStreamsThroughLineByLine() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String shop = token(engine, "shop.example");
            final int lines = 20_000;
            try (RawHttp http = new RawHttp(engine.port()))
            {
                http.send("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + shop +
                    "\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n");
                final StringBuilder chunk = new StringBuilder();
                for (int i = 0; i < lines; i++)
                {
                    chunk.append("{\"t\":\"e\",\"n\":\"Bulk\",\"u\":\"https://shop.example/p").append(i)
                        .append("\",\"vid\":\"v").append(i % 1000).append("\"}\n");
                    if (chunk.length() > 8_000 || i == lines - 1)
                    {
                        // pieces of odd sizes, so lines are cut across them
                        final byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                        for (int at = 0; at < bytes.length; at += 3_001)
                        {
                            final int n = Math.min(3_001, bytes.length - at);
                            http.send(Integer.toHexString(n) + "\r\n");
                            http.send(java.util.Arrays.copyOfRange(bytes, at, at + n));
                            http.send("\r\n");
                        }
                        chunk.setLength(0);
                    }
                }
                http.send("0\r\n\r\n");
                http.setReadTimeoutMillis(120_000);
                final Map<String, Object> summary = summary(http.read());
                assertEquals(new BigDecimal(lines), summary.get("accepted"));
                assertEquals(BigDecimal.ZERO, summary.get("rejected_count"));
            }
            final List<Map<String, Object>> records = engine.dump();
            assertEquals(lines, records.size());
            assertEquals("/p" + (lines - 1), records.get(lines - 1).get("path"));
        }
    }

    @Test
    void aRepeatedIdIsAcknowledgedButStoredOnceAlsoAcrossARestart() throws IOException
    {
        final String body = "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/\",\"id\":\"order-1\"}\n" +
            "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/\",\"id\":\"order-2\"}\n" +
            "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/\",\"id\":\"order-1\"}\n";
        final String shop;
        try (TestEngine engine = start())
        {
            shop = token(engine, "shop.example");
            final Map<String, Object> first = summary(batch(engine, shop, body));
            assertEquals(new BigDecimal(2), first.get("accepted"));
            assertEquals(BigDecimal.ONE, first.get("duplicates"));
        }
        try (TestEngine engine = start())
        {
            final Map<String, Object> again = summary(batch(engine, shop, body));
            assertEquals(BigDecimal.ZERO, again.get("accepted"), "tokens and keys survive the restart");
            assertEquals(new BigDecimal(3), again.get("duplicates"));
            assertEquals(2, engine.dump().size());
            final RawHttp.Answer blog = batch(engine, token(engine, "blog.example"),
                "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://blog.example/\",\"id\":\"order-1\"}");
            assertEquals(BigDecimal.ONE, summary(blog).get("accepted"), "keys are per site");
        }
    }

    @Test
    void visitorsComeFromVidOrFromIpAndUaAsABrowsersWould() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String shop = token(engine, "shop.example");
            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"p\",\"u\":\"https://shop.example/\"}", "User-Agent: Browser X")).status());
            }
            summary(batch(engine, shop, String.join("\n",
                "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/\",\"ip\":\"127.0.0.1\",\"ua\":\"Browser X\"}",
                "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/\",\"vid\":\"customer-7\"}",
                "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/\",\"vid\":\"customer-7\",\"ip\":\"203.0.113.1\"}",
                "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/\",\"vid\":\"customer-8\"}")));
            final List<Map<String, Object>> records = engine.dump();
            assertEquals(records.get(0).get("visitor"), records.get(1).get("visitor"), "same address and browser, same visitor");
            assertEquals(records.get(2).get("visitor"), records.get(3).get("visitor"), "vid decides, not the address");
            assertNotEquals(records.get(2).get("visitor"), records.get(4).get("visitor"));
            assertNotEquals(records.get(0).get("visitor"), records.get(2).get("visitor"));
        }
    }

    @Test
    void historicalEventsLandInTheirOwnHourOfTheStats() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String shop = token(engine, "shop.example");
            summary(batch(engine, shop, String.join("\n",
                "{\"t\":\"p\",\"u\":\"https://shop.example/\",\"ts\":\"2026-02-10T08:30:00Z\",\"vid\":\"a\"}",
                "{\"t\":\"p\",\"u\":\"https://shop.example/\",\"ts\":\"2026-02-10T08:45:00Z\",\"vid\":\"b\"}",
                "{\"t\":\"p\",\"u\":\"https://shop.example/\",\"ts\":\"2026-02-11T23:59:00Z\",\"vid\":\"a\"}")));
            engine.awaitRollups();
            try (RawHttp http = new RawHttp(engine.port()))
            {
                final Map<String, Object> hours = Json.parseObject(http.exchange(("GET /api/v1/stats/shop.example/timeseries" +
                    "?metric=pageviews&interval=hour&from=2026-02-10&to=2026-02-10 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                    ADMIN + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)).body());
                final List<?> points = (List<?>)hours.get("points");
                assertEquals(new BigDecimal(2), ((Map<?, ?>)points.get(8)).get("value"), "both 08:xx events in hour 8");
                assertEquals(BigDecimal.ZERO, ((Map<?, ?>)points.get(9)).get("value"));
                final Map<String, Object> days = Json.parseObject(http.exchange(("GET /api/v1/stats/shop.example/kpis" +
                    "?from=2026-02-10&to=2026-02-11 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1)).body());
                assertEquals(new BigDecimal(3), days.get("pageviews"));
                assertEquals(new BigDecimal(3), days.get("visitors"), "visitor ids are per day: a on two days counts twice");
            }
        }
    }

    @Test
    void aBatchLargerThanMaxBodyMayAskToContinue() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String shop = token(engine, "shop.example");
            final StringBuilder body = new StringBuilder();
            for (int i = 0; i < 100; i++)
            {
                body.append("{\"t\":\"p\",\"u\":\"https://shop.example/").append(i).append("\"}\n");
            }
            assertTrue(body.length() > MAX_BODY);
            try (RawHttp http = new RawHttp(engine.port()))
            {
                http.send("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + shop +
                    "\r\nExpect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n");
                assertEquals(100, http.read().status(), "streamed batches have no size limit, only their lines");
                http.send(body.toString());
                assertEquals(new BigDecimal(100), summary(http.read()).get("accepted"));
            }
        }
    }

    @Test
    void tokensAreListedAndRevoked() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String shop = token(engine, "shop.example");
            try (RawHttp http = new RawHttp(engine.port()))
            {
                final Map<String, Object> list = Json.parseObject(http.exchange(("GET /api/v1/sites/shop.example/tokens HTTP/1.1\r\n" +
                    "Host: x\r\nAuthorization: Bearer " + ADMIN + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)).body());
                final List<?> tokens = (List<?>)list.get("tokens");
                assertEquals(1, tokens.size());
                assertTrue(!list.toString().contains(shop), "a token is shown only once, never listed");
                final String id = (String)((Map<?, ?>)tokens.get(0)).get("id");
                assertEquals(204, http.exchange(("DELETE /api/v1/sites/shop.example/tokens/" + id + " HTTP/1.1\r\nHost: x\r\n" +
                    "Authorization: Bearer " + ADMIN + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)).status());
            }
            assertEquals(401, batch(engine, shop, "{\"t\":\"p\",\"u\":\"https://shop.example/\"}").status(), "revoked");
            assertTrue(!java.nio.file.Files.readString(dataDir.resolve(SiteTokens.FILE)).contains(shop), "stored hashed");
        }
    }
}
