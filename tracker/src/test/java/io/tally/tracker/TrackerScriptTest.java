package io.tally.tracker;

import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The script as the engine serves it: gzip under the size budget, a strong ETag, long caching, 304, HEAD. */
class TrackerScriptTest
{
    /** The size budget: under 2.5 KB gzipped, as served. */
    static final int MAX_GZIPPED_BYTES = 2_500;

    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private HttpResponse<byte[]> get(final TestEngine engine, final String method, final String... headers) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.port() + "/js/tally.js"))
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0)
        {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] resource() throws Exception
    {
        try (InputStream in = TrackerScriptTest.class.getClassLoader().getResourceAsStream("io/tally/tracker/tally.js"))
        {
            return in.readAllBytes();
        }
    }

    @Test
    void servedGzippedUnderTheBudgetWithLongCachingAndRevalidation() throws Exception
    {
        try (TestEngine engine = TestEngine.start(dataDir))
        {
            final HttpResponse<byte[]> gzipped = get(engine, "GET", "Accept-Encoding", "gzip, deflate, br");
            assertEquals(200, gzipped.statusCode());
            assertEquals("gzip", gzipped.headers().firstValue("content-encoding").orElseThrow());
            assertTrue(gzipped.body().length < MAX_GZIPPED_BYTES, "gzipped as served: " + gzipped.body().length + " bytes");
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body())))
            {
                assertArrayEquals(resource(), in.readAllBytes());
            }
            assertEquals("text/javascript; charset=utf-8", gzipped.headers().firstValue("content-type").orElseThrow());
            assertEquals("public, max-age=86400", gzipped.headers().firstValue("cache-control").orElseThrow());
            assertEquals("*", gzipped.headers().firstValue("access-control-allow-origin").orElseThrow());
            final String tag = gzipped.headers().firstValue("etag").orElseThrow();
            assertTrue(tag.matches("\"[0-9a-f]{24}-gz\""), tag);

            final HttpResponse<byte[]> notModified = get(engine, "GET", "Accept-Encoding", "gzip", "If-None-Match", tag);
            assertEquals(304, notModified.statusCode());
            assertEquals(0, notModified.body().length);

            final HttpResponse<byte[]> plain = get(engine, "GET");
            assertArrayEquals(resource(), plain.body());
            assertTrue(plain.headers().firstValue("content-encoding").isEmpty());
            assertEquals(200, get(engine, "GET", "If-None-Match", tag).statusCode(), "the gzip tag does not name the plain bytes");

            final HttpResponse<byte[]> head = get(engine, "HEAD", "Accept-Encoding", "gzip");
            assertEquals(200, head.statusCode());
            assertEquals(String.valueOf(gzipped.body().length), head.headers().firstValue("content-length").orElseThrow());
            assertEquals(0, head.body().length);
            assertEquals(405, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.port() + "/js/tally.js"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }
}
