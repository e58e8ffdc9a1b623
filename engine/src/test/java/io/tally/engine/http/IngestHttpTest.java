package io.tally.engine.http;

import io.tally.codec.json.Json;
import io.tally.engine.EngineConfig;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP contract of {@code /api/event} on the real server: limits, CORS, content types, framing. */
class IngestHttpTest
{
    private static final int MAX_BODY = 1024;
    private static final String PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\"}";

    @TempDir
    Path dataDir;
    private TestEngine engine;

    private TestEngine start(final UnaryOperator<EngineConfig.Builder> customize)
    {
        engine = TestEngine.start(dataDir, b -> customize.apply(b.maxBody(MAX_BODY)));
        return engine;
    }

    private TestEngine start()
    {
        return start(UnaryOperator.identity());
    }

    @AfterEach
    void stop()
    {
        if (engine != null)
        {
            engine.close();
        }
    }

    /** A JSON error answer: exact status, code and detail, its content-length that of the body read. */
    private static void assertError(final RawHttp.Answer answer, final int status, final String code, final String detail)
    {
        assertEquals(status, answer.status(), answer.body());
        assertEquals("application/json", answer.header("content-type"));
        assertEquals(Map.of("error", code, "detail", detail), Json.parseObject(answer.body()));
        assertEquals(answer.body().getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(answer.header("content-length")));
    }

    /** {@code /healthz}'s answers by code. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> answersByCode() throws IOException
    {
        return (Map<String, Object>)Json.parseObject(engine.call("GET", "/healthz", null, null).body()).get("answers");
    }

    /** A valid pageview padded with spaces inside the object to exactly {@code length} bytes. */
    private static String pageviewOfLength(final int length)
    {
        final String head = "{\"t\":\"p\",\"u\":\"https://shop.example/pad\"";
        return head + " ".repeat(length - head.length() - 1) + "}";
    }

    @Test
    void bodyAtTheLimitIsTakenAndOnePastIsRefusedWith413() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final String atLimit = pageviewOfLength(MAX_BODY);
            assertEquals(MAX_BODY, atLimit.getBytes(StandardCharsets.UTF_8).length);
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", atLimit)).status());

            final RawHttp.Answer tooLarge = http.exchange(RawHttp.post("/api/event", "application/json", pageviewOfLength(MAX_BODY + 1)));
            assertEquals(413, tooLarge.status());
            assertEquals("body_too_large", Json.parseObject(tooLarge.body()).get("error"));
            assertEquals("close", tooLarge.header("connection"));
            assertTrue(http.isClosedByServer());
        }
        assertEquals(1, engine.dump().size());
        assertEquals(1, engine.engine().counters().count(io.tally.codec.Outcome.BODY_TOO_LARGE));
    }

    @Test
    void chunkedBodyPastTheLimitIsRefusedWithoutBeingBuffered() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            http.send("POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            final String chunk = "x".repeat(600);
            http.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            http.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            final RawHttp.Answer answer = http.read();
            assertEquals(413, answer.status());
        }
        assertTrue(engine.dump().isEmpty());
    }

    @Test
    void afterAnEarly413TheRestIsReadUpToItsLimitAndOnePastClosesAtOnce() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            refuseChunkedBodyEarly(http);
            sendChunk(http, HttpIngestHandler.MAX_DISCARDED_BYTES);
            http.setReadTimeoutMillis(500);
            assertThrows(SocketTimeoutException.class, http::isClosedByServer, "at the limit, the body is still read to its end");
            http.setReadTimeoutMillis(10_000);
            http.send("0\r\n\r\n");
            assertTrue(http.isClosedByServer(), "and at its end the connection closes");
        }
        try (RawHttp http = new RawHttp(engine.port()))
        {
            refuseChunkedBodyEarly(http);
            sendChunk(http, HttpIngestHandler.MAX_DISCARDED_BYTES + 1);
            assertTrue(http.isClosedByServer(), "one byte past, it closes without waiting for the end");
        }
        assertTrue(engine.dump().isEmpty());
    }

    private static void refuseChunkedBodyEarly(final RawHttp http) throws IOException
    {
        http.send("POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        sendChunk(http, MAX_BODY + 1);
        assertEquals(413, http.read().status());
    }

    private static void sendChunk(final RawHttp http, final int length) throws IOException
    {
        http.send(Integer.toHexString(length) + "\r\n" + "x".repeat(length) + "\r\n");
    }

    @Test
    void chunkedBodyWithinTheLimitIsGatheredFromItsPieces() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            http.send("POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            final String body = "{\"t\":\"e\",\"n\":\"Chunked\",\"u\":\"https://shop.example/c\",\"mk\":[\"k\"],\"mv\":[\"caf\u00e9\"]}";
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i += 7)
            {
                final int n = Math.min(7, bytes.length - i);
                http.send(Integer.toHexString(n) + "\r\n");
                http.send(java.util.Arrays.copyOfRange(bytes, i, i + n));
                http.send("\r\n");
            }
            http.send("0\r\n\r\n");
            assertEquals(202, http.read().status());
        }
        final Map<String, Object> record = engine.dump().get(0);
        assertEquals("Chunked", record.get("name"));
        assertEquals(Map.of("k", "caf\u00e9"), record.get("props"));
    }

    @Test
    void requestSentOneByteAtATimeIsDecodedWhole() throws IOException
    {
        start();
        final byte[] request = RawHttp.post("/api/event", "application/json",
            "{\"t\":\"e\",\"n\":\"Frag\u00e9\",\"u\":\"https://shop.example/f\",\"mk\":[\"e\"],\"mv\":[\"\\ud83d\\ude00\"]}");
        try (RawHttp http = new RawHttp(engine.port()))
        {
            for (final byte b : request)
            {
                http.send(new byte[] {b});
            }
            assertEquals(202, http.read().status());
        }
        final Map<String, Object> record = engine.dump().get(0);
        assertEquals("Frag\u00e9", record.get("name"));
        assertEquals(Map.of("e", "\ud83d\ude00"), record.get("props"));
    }

    @Test
    void expectContinuePastTheLimitIs413WithTheErrorBodyAndCloses() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            http.send("POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n" +
                "Origin: https://blog.example\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n");
            final RawHttp.Answer answer = http.read();
            assertError(answer, 413, "body_too_large", "the body is larger than 1024 bytes");
            assertEquals("https://blog.example", answer.header("access-control-allow-origin"));
            assertEquals("close", answer.header("connection"));
            assertTrue(http.isClosedByServer(), "no body follows a refused expectation: closed at once, nothing after the answer");
        }
        assertEquals(new BigDecimal(1), answersByCode().get("body_too_large"));
        assertTrue(engine.dump().isEmpty());
    }

    @Test
    void expectContinueWithinTheLimitGets100ThenTheAnswer() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            http.send("POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n" +
                "Content-Length: " + PAGEVIEW.length() + "\r\n\r\n");
            final RawHttp.Answer proceed = http.read();
            assertEquals(100, proceed.status());
            assertEquals(Map.of(), proceed.headers());
            http.send(PAGEVIEW);
            assertEquals(202, http.read().status());
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status(),
                "the connection goes on");
        }
        assertEquals(2, engine.dump().size());
    }

    @Test
    void expectContinueWithARefusalKnownFromTheHeadGetsTheRefusalInsteadAndCloses() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            http.send("POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Type: text/html\r\nExpect: 100-continue\r\n" +
                "Content-Length: " + PAGEVIEW.length() + "\r\n\r\n");
            final RawHttp.Answer answer = http.read();
            assertError(answer, 415, "unsupported_media_type", "send application/json or text/plain");
            assertEquals("close", answer.header("connection"));
            assertTrue(http.isClosedByServer());
        }
        try (RawHttp http = new RawHttp(engine.port()))
        {
            http.send("POST /api/event HTTP/1.1\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n" +
                "Content-Length: " + PAGEVIEW.length() + "\r\n\r\n");
            assertError(http.read(), 400, "bad_request", "an HTTP/1.1 request needs a Host header");
            assertTrue(http.isClosedByServer());
        }
        assertTrue(engine.dump().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zz\r\n", "ffffffffffffffff\r\n", "5\r\n{\"t\":\r\nzz\r\n"})
    void aBadChunkSizeIs400AndClosesTheConnection(final String chunks) throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            http.send("POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                chunks + PAGEVIEW + "\r\n0\r\n\r\n");
            http.send(RawHttp.post("/api/event", "application/json", PAGEVIEW));
            final RawHttp.Answer answer = http.read();
            assertError(answer, 400, "bad_request", "malformed chunked body");
            assertEquals("close", answer.header("connection"));
            assertTrue(http.isClosedByServer(), "past a broken chunk the framing is lost: the pipelined request is not answered");
        }
        assertTrue(engine.dump().isEmpty());
        assertEquals(new BigDecimal(1), answersByCode().get("bad_request"));
    }

    @Test
    void anHttp11RequestWithoutHostIs400AndTheConnectionStaysUsable() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer noHost = http.exchange(("POST /api/event HTTP/1.1\r\nContent-Type: application/json\r\n" +
                "Content-Length: " + PAGEVIEW.length() + "\r\n\r\n" + PAGEVIEW).getBytes(StandardCharsets.ISO_8859_1));
            assertError(noHost, 400, "bad_request", "an HTTP/1.1 request needs a Host header");
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status(),
                "the refused request's body was read past");
            assertError(http.exchange("GET /healthz HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)),
                400, "bad_request", "an HTTP/1.1 request needs a Host header");
        }
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer old = http.exchange(("POST /api/event HTTP/1.0\r\nContent-Type: application/json\r\n" +
                "Content-Length: " + PAGEVIEW.length() + "\r\n\r\n" + PAGEVIEW).getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(202, old.status(), "HTTP/1.0 has no Host requirement");
            assertTrue(http.isClosedByServer());
        }
        assertEquals(2, engine.dump().size());
        assertEquals(new BigDecimal(2), answersByCode().get("bad_request"));
    }

    @Test
    void oversizedHeadersAre431AndClose() throws IOException
    {
        start(b -> b.maxHeaderBytes(2048));
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW,
                "X-Big: " + "a".repeat(4096)));
            assertEquals(431, answer.status());
            assertTrue(http.isClosedByServer());
        }
        try (RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW,
                "X-Fits: " + "a".repeat(1500))).status());
        }
    }

    @Test
    void contentTypesFollowTheSpec() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            for (final String accepted : new String[] {"application/json", "application/json; charset=utf-8", "text/plain",
                "text/plain;charset=UTF-8", "Application/JSON", null})
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", accepted, PAGEVIEW)).status(), String.valueOf(accepted));
            }
            for (final String refused : new String[] {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/jsonx", "text/html"})
            {
                final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/event", refused, PAGEVIEW));
                assertEquals(415, answer.status(), refused);
                assertEquals("unsupported_media_type", Json.parseObject(answer.body()).get("error"));
            }
        }
        assertEquals(6, engine.dump().size());
    }

    @Test
    void preflightAndEveryAnswerCarryCors() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer preflight = http.exchange(("OPTIONS /api/event HTTP/1.1\r\nHost: x\r\n" +
                "Origin: https://blog.example\r\nAccess-Control-Request-Method: POST\r\n" +
                "Access-Control-Request-Headers: content-type\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(204, preflight.status());
            assertEquals("https://blog.example", preflight.header("access-control-allow-origin"));
            assertTrue(preflight.header("access-control-allow-methods").contains("POST"));
            assertEquals("content-type", preflight.header("access-control-allow-headers"));
            assertEquals("86400", preflight.header("access-control-max-age"));

            final RawHttp.Answer refused = http.exchange(RawHttp.post("/api/event", "application/json", "nope",
                "Origin: https://blog.example"));
            assertEquals(400, refused.status());
            assertEquals("https://blog.example", refused.header("access-control-allow-origin"));
            assertEquals("origin", refused.header("vary"));
        }
    }

    @Test
    void acceptedAnswersCarryCorsAndTheConnectionsFate() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer plain = http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW));
            assertEquals(202, plain.status());
            assertEquals(Map.of("content-length", "0", "access-control-allow-origin", "*"), plain.headers());

            final RawHttp.Answer fromPage = http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW,
                "Origin: https://blog.example"));
            assertEquals(Map.of("content-length", "0", "access-control-allow-origin", "https://blog.example",
                "vary", "origin"), fromPage.headers());

            final RawHttp.Answer last = http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW,
                "Connection: close"));
            assertEquals(202, last.status());
            assertEquals("close", last.header("connection"));
            assertTrue(http.isClosedByServer());
        }
        assertEquals(3, engine.dump().size());
    }

    @Test
    void aHeaderNameWithASpaceBeforeItsColonIsRefused() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final String body = PAGEVIEW;
            final RawHttp.Answer answer = http.exchange(("POST /api/event HTTP/1.1\r\nHost: x\r\n" +
                "Content-Type: application/json\r\nTransfer-Encoding : chunked\r\nContent-Length: " + body.length() +
                "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(400, answer.status(), "a proxy might frame it as chunked: no second reading of the body");
            assertTrue(http.isClosedByServer());
        }
        assertTrue(engine.dump().isEmpty());
    }

    @Test
    void anOriginWithAControlCharacterIsRefusedNotEchoed() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW,
                "Origin: https://blog.example\rset-cookie: x=1"));
            assertEquals(400, answer.status());
            assertNull(answer.header("set-cookie"));
        }
        assertTrue(engine.dump().isEmpty());
    }

    @Test
    void headAnswersHaveTheHeadersAndNoBody() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            http.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            final RawHttp.Answer head = http.readHeadAnswer();
            assertEquals(200, head.status());
            assertTrue(Integer.parseInt(head.header("content-length")) > 0);
            final RawHttp.Answer get = http.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(200, get.status(), "the next answer starts where the HEAD answer's headers end");
            assertEquals("ok", Json.parseObject(get.body()).get("status"));
        }
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(404, http.exchange(RawHttp.post("/api/nothing", "application/json", PAGEVIEW)).status());
            final RawHttp.Answer get = http.exchange("GET /api/event HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(405, get.status());
            assertEquals("method_not_allowed", Json.parseObject(get.body()).get("error"));
            final RawHttp.Answer health = http.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(200, health.status());
            assertEquals("ok", Json.parseObject(health.body()).get("status"));
        }
        assertTrue(engine.dump().isEmpty());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            byte[] all = new byte[0];
            for (int i = 0; i < 20; i++)
            {
                final String body = i % 2 == 0 ? "{\"t\":\"e\",\"n\":\"P" + i + "\",\"u\":\"https://shop.example/\"}" : "bad";
                all = RawHttp.concat(all, RawHttp.post("/api/event", "application/json", body));
            }
            http.send(all);
            for (int i = 0; i < 20; i++)
            {
                assertEquals(i % 2 == 0 ? 202 : 400, http.read().status(), "answer " + i);
            }
        }
        final List<Map<String, Object>> records = engine.dump();
        assertEquals(10, records.size());
        for (int i = 0; i < 10; i++)
        {
            assertEquals("P" + (2 * i), records.get(i).get("name"));
        }
    }

    @Test
    void droppedPropertiesAreAnnouncedInAHeader() throws IOException
    {
        start();
        final StringBuilder keys = new StringBuilder();
        final StringBuilder values = new StringBuilder();
        for (int i = 0; i < 33; i++)
        {
            keys.append(i == 0 ? "" : ",").append("\"k").append(i).append('"');
            values.append(i == 0 ? "" : ",").append(i);
        }
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer wide = http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"t\":\"e\",\"n\":\"Wide\",\"u\":\"https://shop.example/\",\"mk\":[" + keys + "],\"mv\":[" + values + "]}"));
            assertEquals(202, wide.status());
            assertEquals("props=3", wide.header("tally-dropped"));
            final RawHttp.Answer narrow = http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW));
            assertNull(narrow.header("tally-dropped"));
        }
        assertEquals(30, ((Map<?, ?>)engine.dump().get(0).get("props")).size());
        assertEquals(3, engine.engine().counters().droppedProperties());
    }

    @Test
    void siteResolvesCaseInsensitivelyThroughAliasesAndWww() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            for (final String url : new String[] {"https://SHOP.Example/a", "https://www.shop.example/b",
                "https://shop-alias.example:8443/c", "http://user@shop.example./d"})
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"p\",\"u\":\"" + url + "\"}")).status(), url);
            }
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"t\":\"p\",\"u\":\"https://elsewhere.example/e\",\"d\":\"Shop.Example\"}")).status());
            final RawHttp.Answer unknown = http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"t\":\"p\",\"u\":\"https://shop.example.evil/\"}"));
            assertEquals(400, unknown.status());
            assertEquals("unknown_site", Json.parseObject(unknown.body()).get("error"));
            final RawHttp.Answer relative = http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"t\":\"p\",\"u\":\"/pricing\",\"d\":\"shop.example\"}"));
            assertEquals(400, relative.status());
            assertEquals("invalid_url", Json.parseObject(relative.body()).get("error"));
        }
        final List<Map<String, Object>> records = engine.dump();
        assertEquals(5, records.size());
        records.forEach(record -> assertEquals("shop.example", record.get("site")));
        assertEquals(List.of("/a", "/b", "/c", "/d", "/e"), records.stream().map(r -> r.get("path")).toList());
    }

    @Test
    void sameBrowserSameVisitorAndSessionOtherBrowserOther() throws IOException
    {
        start();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW, "User-Agent: Browser A"));
            http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW, "User-Agent: Browser A"));
            http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW, "User-Agent: Browser B"));
        }
        final List<Map<String, Object>> records = engine.dump();
        assertEquals(records.get(0).get("visitor"), records.get(1).get("visitor"));
        assertEquals(records.get(0).get("session"), records.get(1).get("session"));
        assertFalse(records.get(0).get("visitor").equals(records.get(2).get("visitor")));
        assertFalse(records.get(0).get("session").equals(records.get(2).get("session")));
    }

    @Test
    void idleKeepAliveConnectionsAreClosed() throws IOException
    {
        start(b -> b.idleTimeout(Duration.ofMillis(300)));
        try (RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status());
            http.setReadTimeoutMillis(5_000);
            assertTrue(http.isClosedByServer());
        }
    }

    @Test
    void aRequestThatStallsIsAnswered408AndClosed() throws IOException
    {
        start(b -> b.readTimeout(Duration.ofMillis(300)));
        try (RawHttp http = new RawHttp(engine.port()))
        {
            http.send("POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"t\":");
            http.setReadTimeoutMillis(5_000);
            assertError(http.read(), 408, "request_timeout", "the request was not read within 300 ms");
            assertTrue(http.isClosedByServer());
        }
        assertTrue(engine.dump().isEmpty());
        assertEquals(new BigDecimal(1), answersByCode().get("request_timeout"));
    }

    /**
     * One byte every 300 ms never leaves a gap of a second, but the whole request must arrive within it: the head
     * (or the body after a whole head) trickled this way is answered 408 long before it would be complete.
     */
    @ParameterizedTest(name = "whole head sent first: {0}")
    @ValueSource(booleans = {false, true})
    void aRequestTrickledByteByByteIsCutAtTheReadTimeout(final boolean headFirst) throws Exception
    {
        start(b -> b.readTimeout(Duration.ofSeconds(1)));
        final byte[] request = RawHttp.post("/api/event", "application/json", pageviewOfLength(200));
        final int headLength = request.length - 200;
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final long started = System.nanoTime();
            if (headFirst)
            {
                http.send(java.util.Arrays.copyOfRange(request, 0, headLength));
            }
            final Thread trickle = trickle(http, java.util.Arrays.copyOfRange(request, headFirst ? headLength : 0, request.length));
            try
            {
                final RawHttp.Answer answer = http.read();
                final long tookMillis = (System.nanoTime() - started) / 1_000_000;
                assertError(answer, 408, "request_timeout", "the request was not read within 1 s");
                assertEquals("close", answer.header("connection"));
                assertTrue(tookMillis < 15_000, "cut after " + tookMillis + " ms; the trickle takes 60 s");
                assertTrue(http.isClosedByServer());
            }
            finally
            {
                trickle.interrupt();
                trickle.join();
            }
        }
        assertTrue(engine.dump().isEmpty());
    }

    /** Sends {@code bytes} one every 300 ms on a thread of its own, until done, interrupted or the socket fails. */
    private static Thread trickle(final RawHttp http, final byte[] bytes)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                for (final byte b : bytes)
                {
                    http.send(new byte[] {b});
                    Thread.sleep(300);
                }
            }
            catch (final IOException | InterruptedException ex)
            {
                // closed by the server, or the test is over
            }
        }, "trickle");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Test
    void aPipelinedRequestLeftHalfSentIsAnswered408() throws IOException
    {
        start(b -> b.readTimeout(Duration.ofMillis(500)));
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final byte[] second = RawHttp.post("/api/event", "application/json", PAGEVIEW);
            http.send(RawHttp.concat(RawHttp.post("/api/event", "application/json", PAGEVIEW),
                java.util.Arrays.copyOfRange(second, 0, 20)));
            assertEquals(202, http.read().status());
            http.setReadTimeoutMillis(10_000);
            assertError(http.read(), 408, "request_timeout", "the request was not read within 500 ms");
            assertTrue(http.isClosedByServer());
        }
        assertEquals(1, engine.dump().size());
    }

    @Test
    void aKeepAliveConnectionIdleBetweenRequestsIsNotCutByTheReadTimeout() throws Exception
    {
        start(b -> b.readTimeout(Duration.ofMillis(200)).idleTimeout(Duration.ofSeconds(30)));
        try (RawHttp http = new RawHttp(engine.port()))
        {
            for (int i = 0; i < 3; i++)
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status());
                Thread.sleep(1_000);
            }
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status());
        }
        assertEquals(4, engine.dump().size());
        assertNull(answersByCode().get("request_timeout"));
    }

    @Test
    void afterAnEarly413ABodyThatStallsIsCutAtTheReadTimeout() throws IOException
    {
        start(b -> b.readTimeout(Duration.ofMillis(500)));
        try (RawHttp http = new RawHttp(engine.port()))
        {
            refuseChunkedBodyEarly(http);
            http.setReadTimeoutMillis(10_000);
            assertTrue(http.isClosedByServer(), "the rest of the refused body did not come in time");
        }
        assertNull(answersByCode().get("request_timeout"), "the request was answered already (413)");
    }

    @Test
    void connectionsPastTheLimitAreClosedAtOnce() throws IOException
    {
        start(b -> b.maxConnections(3));
        final RawHttp[] open = new RawHttp[3];
        try
        {
            for (int i = 0; i < open.length; i++)
            {
                open[i] = new RawHttp(engine.port());
                assertEquals(202, open[i].exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status());
            }
            try (RawHttp extra = new RawHttp(engine.port()))
            {
                extra.send(RawHttp.post("/api/event", "application/json", PAGEVIEW));
                assertTrue(extra.isClosedByServer());
            }
            assertEquals(1, engine.engine().counters().rejectedConnections());
        }
        finally
        {
            for (final RawHttp http : open)
            {
                if (http != null)
                {
                    http.close();
                }
            }
        }
        assertEquals(3, engine.dump().size());
    }
}
