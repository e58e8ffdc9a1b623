package io.tally.engine.http;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public, cacheable {@code GET /api/v1/sites/{site}/triggers} over a real socket, and the script's 404 without it. */
class TriggersEndpointTest
{
    private static final String TOKEN = "test-admin-token";
    private static final String TRIGGERS = "/api/v1/sites/shop.example/triggers";
    private static final String CLICK_GOAL = "{\"name\":\"Buy clicked\",\"trigger\":{\"type\":\"click\",\"selector\":\"#buy\"}}";

    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private TestEngine start()
    {
        return TestEngine.start(dataDir, b -> b.adminToken(TOKEN));
    }

    private HttpResponse<byte[]> send(final TestEngine engine, final String method, final String path, final String body,
        final String... headers) throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.port() + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0)
        {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(final HttpResponse<byte[]> response)
    {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void publishedWithoutTokenCacheableAndRevalidated() throws Exception
    {
        try (TestEngine engine = start())
        {
            final HttpResponse<byte[]> empty = send(engine, "GET", TRIGGERS, null, "Origin", "https://shop.example");
            assertEquals(200, empty.statusCode());
            assertEquals(Map.of("triggers", List.of()), Json.parse(text(empty)));
            assertEquals("public, max-age=60", empty.headers().firstValue("cache-control").orElseThrow());
            assertEquals("https://shop.example", empty.headers().firstValue("access-control-allow-origin").orElseThrow());
            assertTrue(empty.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
            final String emptyTag = empty.headers().firstValue("etag").orElseThrow();
            assertTrue(emptyTag.matches("\"[0-9a-f]{24}\""), emptyTag);

            assertEquals(201, send(engine, "POST", "/api/v1/sites/shop.example/goals", CLICK_GOAL,
                "Authorization", "Bearer " + TOKEN).statusCode());
            final HttpResponse<byte[]> one = send(engine, "GET", TRIGGERS, null, "If-None-Match", emptyTag);
            assertEquals(200, one.statusCode(), "the goals changed, so the old tag no longer matches");
            assertEquals(Map.of("triggers", List.of(Map.of("goal", "Buy clicked", "type", "click", "event", "Buy clicked",
                "selector", "#buy", "every_time", false))), Json.parse(text(one)));
            final String tag = one.headers().firstValue("etag").orElseThrow();
            assertNotEquals(emptyTag, tag);

            final HttpResponse<byte[]> notModified = send(engine, "GET", TRIGGERS, null, "If-None-Match", "\"other\", W/" + tag);
            assertEquals(304, notModified.statusCode());
            assertEquals(0, notModified.body().length);
            assertEquals(tag, notModified.headers().firstValue("etag").orElseThrow());

            final HttpResponse<byte[]> head = send(engine, "HEAD", TRIGGERS, null);
            assertEquals(200, head.statusCode());
            assertEquals(String.valueOf(one.body().length), head.headers().firstValue("content-length").orElseThrow());
            assertEquals(0, head.body().length);
        }
    }

    @Test
    void triggersSurviveARestartAndUnknownSitesAndMethodsAreRefused() throws Exception
    {
        try (TestEngine engine = start())
        {
            assertEquals(201, send(engine, "POST", "/api/v1/sites/shop.example/goals", CLICK_GOAL,
                "Authorization", "Bearer " + TOKEN).statusCode());
            final HttpResponse<byte[]> invalid = send(engine, "POST", "/api/v1/sites/shop.example/goals",
                "{\"name\":\"Bad\",\"trigger\":{\"type\":\"click\"}}", "Authorization", "Bearer " + TOKEN);
            assertEquals(400, invalid.statusCode());
            assertEquals("trigger.selector: is required", Json.parseObject(text(invalid)).get("detail"));

            for (final String name : List.of("shop-alias.example", "www.Shop.Example", "shop.example."))
            {
                final HttpResponse<byte[]> byAlias = send(engine, "GET", "/api/v1/sites/" + name + "/triggers", null);
                assertEquals(200, byAlias.statusCode(), name);
                assertEquals(1, ((List<?>)Json.parseObject(text(byAlias)).get("triggers")).size(), name);
            }
            final HttpResponse<byte[]> unknown = send(engine, "GET", "/api/v1/sites/nobody.example/triggers", null);
            assertEquals(404, unknown.statusCode());
            assertEquals("not_found", Json.parseObject(text(unknown)).get("error"));
            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(404, http.exchange("GET /api/v1/sites/shop%zz/triggers HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)).status(), "a malformed escape names no site");
            }
            assertEquals(405, send(engine, "POST", TRIGGERS, "{}").statusCode());
        }
        try (TestEngine engine = start())
        {
            final Object triggers = Json.parseObject(text(send(engine, "GET", TRIGGERS, null))).get("triggers");
            assertEquals(1, ((List<?>)triggers).size(), "goals.json keeps the trigger");
        }
    }

    @Test
    void manyTriggersAreGzippedForClientsThatAcceptIt() throws Exception
    {
        try (TestEngine engine = start())
        {
            for (int i = 0; i < 40; i++)
            {
                assertEquals(201, send(engine, "POST", "/api/v1/sites/shop.example/goals",
                    "{\"name\":\"Section " + i + " seen\",\"kind\":\"event\",\"trigger\":{\"type\":\"view\",\"selector\":\"#section-" + i +
                    "\",\"every_time\":true}}", "Authorization", "Bearer " + TOKEN).statusCode());
            }
            final HttpResponse<byte[]> plain = send(engine, "GET", TRIGGERS, null);
            final HttpResponse<byte[]> gzipped = send(engine, "GET", TRIGGERS, null, "Accept-Encoding", "br, gzip");
            assertEquals("gzip", gzipped.headers().firstValue("content-encoding").orElseThrow());
            assertTrue(gzipped.body().length < plain.body().length / 4, gzipped.body().length + " of " + plain.body().length);
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body())))
            {
                assertEquals(text(plain), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertNotEquals(plain.headers().firstValue("etag"), gzipped.headers().firstValue("etag"));
            assertTrue(plain.headers().firstValue("content-encoding").isEmpty());
            assertTrue(send(engine, "GET", TRIGGERS, null, "Accept-Encoding", "gzip;q=0")
                .headers().firstValue("content-encoding").isEmpty());
            assertEquals(40, ((List<?>)Json.parseObject(text(plain)).get("triggers")).size());
        }
    }

    @Test
    void theScriptIsAClearNotFoundWhenTheTrackerIsNotOnTheClasspath() throws Exception
    {
        try (TestEngine engine = start())
        {
            final HttpResponse<byte[]> missing = send(engine, "GET", "/js/tally.js", null);
            assertEquals(404, missing.statusCode());
            assertEquals("the tracker script is not on the classpath (build the tracker module)",
                Json.parseObject(text(missing)).get("detail"));
        }
    }
}
