package io.tally.engine.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which paths are the dashboard's, how its file list is read, and what the engine answers without the dashboard
 * module on its classpath (as here: the engine's tests do not have it).
 */
class DashboardAssetsTest
{
    @TempDir
    Path dir;

    private ClassLoader resources(final String manifest, final String... files) throws IOException
    {
        final Path folder = Files.createDirectories(dir.resolve("io/tally/dashboard"));
        Files.writeString(folder.resolve("assets.txt"), manifest);
        for (final String file : files)
        {
            Files.writeString(folder.resolve(file), "content of " + file);
        }
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
    }

    @Test
    void thePagesAreTheRootOneSegmentShareLinksAndTheFilesFolder()
    {
        for (final String path : List.of("/", "/shop.example", "/share/shr_x", "/dashboard/app.js"))
        {
            assertTrue(DashboardAssets.isDashboard(path), path);
        }
        for (final String path : List.of("/share/", "/share/a/b", "/dashboard/", "/dashboard/a/b", "/js/tally.js",
            "/api/v1/sites/x/triggers", "/a/b"))
        {
            assertFalse(DashboardAssets.isDashboard(path), path);
        }
    }

    @Test
    void theListNamesWhatIsServedAndThePageAnswersForEveryPagePath() throws IOException
    {
        final DashboardAssets assets = DashboardAssets.load(resources(
            "# a comment\n\nindex.html io/tally/dashboard/index.html\napp.js io/tally/dashboard/app.js\n", "index.html", "app.js"));
        assertEquals("content of app.js", body(assets.find("/dashboard/app.js", site -> false)));
        assertEquals("text/javascript; charset=utf-8", assets.find("/dashboard/app.js", site -> false)
            .respond(HttpMethod.GET, null, null).headers().get("content-type"));
        for (final String page : List.of("/", "/share/shr_x", "/dashboard/index.html"))
        {
            assertEquals("content of index.html", body(assets.find(page, site -> false)), page);
        }
        assertEquals("content of index.html", body(assets.find("/shop.example", "shop.example"::equals)));
        assertNull(assets.find("/blog.example", "shop.example"::equals), "a page only for a configured site");
        assertNull(assets.find("/dashboard/assets.txt", site -> false), "only what the list names is served");
        assertNull(assets.find("/dashboard/other.js", site -> false));
    }

    @Test
    void aListedFileThatIsMissingStopsTheStart() throws IOException
    {
        final ClassLoader loader = resources("index.html io/tally/dashboard/index.html\napp.js io/tally/dashboard/gone.js\n",
            "index.html");
        final UncheckedIOException thrown = assertThrows(UncheckedIOException.class, () -> DashboardAssets.load(loader));
        assertTrue(thrown.getCause().getMessage().contains("io/tally/dashboard/gone.js"), thrown.getCause().getMessage());
    }

    @Test
    void withoutTheDashboardModuleItsPathsAre404SayingWhy() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dir.resolve("data")))
        {
            for (final String path : List.of("/", "/shop.example", "/dashboard/app.js"))
            {
                final var answer = engine.call("GET", path, null, null);
                assertEquals(404, answer.status(), path);
                assertTrue(answer.body().contains("the dashboard module on the classpath"), answer.body());
            }
        }
    }

    private static String body(final CachedBody body)
    {
        final FullHttpResponse response = body.respond(HttpMethod.GET, null, null);
        try
        {
            return response.content().toString(StandardCharsets.UTF_8);
        }
        finally
        {
            response.release();
        }
    }
}
