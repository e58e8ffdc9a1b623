package io.tally.dashboard;

import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's page and files as the engine serves them over a real socket: the page at its three kinds of
 * address, each file gzipped when asked, with a strong ETag and a 304, and all of them together within the size
 * bound.
 */
class DashboardAssetsHttpTest
{
    /** The most the dashboard's files may weigh together, gzipped, as the engine sends them. */
    static final int MAX_GZIPPED_BYTES = 100 * 1024;

    @TempDir
    static Path dataDir;
    private static TestEngine engine;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start()
    {
        engine = TestEngine.start(dataDir, b -> b.adminToken("admin-token-for-tests"));
    }

    @AfterAll
    static void stop()
    {
        engine.close();
    }

    private HttpResponse<byte[]> get(final String method, final String path, final String... headers)
        throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0)
        {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(final HttpResponse<?> response, final String name)
    {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The names the manifest serves, from the manifest itself: a file added there is checked here too. */
    static List<String> names() throws IOException
    {
        final List<String> names = new ArrayList<>();
        try (InputStream in = DashboardAssetsHttpTest.class.getClassLoader().getResourceAsStream("io/tally/dashboard/assets.txt"))
        {
            final BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine())
            {
                if (!line.isBlank() && !line.startsWith("#"))
                {
                    names.add(line.substring(0, line.indexOf(' ')));
                }
            }
        }
        return names;
    }

    @Test
    void thePageIsServedAtTheRootAtASitesPathAndAtAShareLink() throws Exception
    {
        final HttpResponse<byte[]> root = get("GET", "/");
        assertEquals(200, root.statusCode());
        assertEquals("text/html; charset=utf-8", header(root, "content-type"));
        assertTrue(new String(root.body(), StandardCharsets.UTF_8).contains("<script defer src=\"/dashboard/app.js\">"));
        assertTrue(header(root, "content-security-policy").startsWith("default-src 'self';"), header(root, "content-security-policy"));
        assertEquals("no-referrer", header(root, "referrer-policy"));
        assertEquals("nosniff", header(root, "x-content-type-options"));
        for (final String path : List.of("/shop.example", "/SHOP.example", "/share/shr_anything", "/dashboard/index.html"))
        {
            final HttpResponse<byte[]> page = get("GET", path);
            assertEquals(200, page.statusCode(), path);
            assertArrayEquals(root.body(), page.body(), path);
        }
        for (final String path : List.of("/nobody.example", "/favicon.ico", "/share/", "/share/a/b", "/dashboard/nope.js",
            "/dashboard/", "/dashboard/app.js/x", "/js/nope.js"))
        {
            assertEquals(404, get("GET", path).statusCode(), path);
        }
        assertEquals(405, get("DELETE", "/").statusCode());
    }

    @Test
    void everyFileIsGzippedWithAStrongTagAndRevalidated() throws Exception
    {
        for (final String name : names())
        {
            final String path = "/dashboard/" + name;
            final HttpResponse<byte[]> plain = get("GET", path);
            assertEquals(200, plain.statusCode(), path);
            assertEquals("no-cache", header(plain, "cache-control"), path);
            assertEquals(null, header(plain, "content-encoding"), path);
            final String plainTag = header(plain, "etag");
            assertTrue(plainTag.matches("\"[0-9a-f]{24}\""), path + ": " + plainTag);

            final HttpResponse<byte[]> gzipped = get("GET", path, "Accept-Encoding", "gzip, deflate");
            assertEquals("gzip", header(gzipped, "content-encoding"), path);
            assertTrue("accept-encoding".equalsIgnoreCase(header(gzipped, "vary")), path);
            assertArrayEquals(plain.body(), gunzip(gzipped.body()), path);
            final String gzipTag = header(gzipped, "etag");
            assertNotEquals(plainTag, gzipTag, path + ": each representation has its own tag");

            final HttpResponse<byte[]> again = get("GET", path, "Accept-Encoding", "gzip", "If-None-Match", gzipTag);
            assertEquals(304, again.statusCode(), path);
            assertEquals(0, again.body().length, path);
            assertEquals(200, get("GET", path, "If-None-Match", gzipTag).statusCode(), path + ": the plain one has another tag");
            final HttpResponse<byte[]> head = get("HEAD", path, "Accept-Encoding", "gzip");
            assertEquals(200, head.statusCode(), path);
            assertEquals(String.valueOf(gzipped.body().length), header(head, "content-length"), path);
        }
    }

    @Test
    void allFilesTogetherWeighAtMostTheBoundGzipped() throws Exception
    {
        long total = 0;
        final StringBuilder sizes = new StringBuilder();
        for (final String name : names())
        {
            final HttpResponse<byte[]> gzipped = get("GET", "/dashboard/" + name, "Accept-Encoding", "gzip");
            assertEquals(200, gzipped.statusCode(), name);
            total += gzipped.body().length;
            sizes.append(name).append(' ').append(gzipped.body().length).append('\n');
        }
        sizes.append("total ").append(total).append('\n');
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "dashboard-asset-sizes.txt"), sizes);
        assertTrue(total <= MAX_GZIPPED_BYTES, "the dashboard weighs " + total + " bytes gzipped:\n" + sizes);
        assertFalse(names().isEmpty());
    }

    private static byte[] gunzip(final byte[] bytes) throws IOException
    {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes)))
        {
            return in.readAllBytes();
        }
    }
}
