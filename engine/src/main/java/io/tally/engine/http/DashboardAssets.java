package io.tally.engine.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The dashboard, classpath resources of the dashboard module read and gzipped once at start: the page at {@code /},
 * {@code /{site}} and {@code /share/{id}} (the page reads which from its own address), and its files at
 * {@code /dashboard/NAME} as {@code io/tally/dashboard/assets.txt} lists them. Every answer is revalidated
 * ({@code no-cache}, a strong {@code ETag}: a 304 costs a few bytes) and carries a policy that lets the page load
 * only its own files and send its address nowhere.
 */
final class DashboardAssets
{
    static final String MANIFEST = "io/tally/dashboard/assets.txt";
    static final String ASSETS = "/dashboard/";
    static final String SHARE = "/share/";
    static final String PAGE = "index.html";
    private static final String CACHE = "no-cache";
    private static final Map<String, String> POLICY = Map.of(
        "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; " +
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        "Referrer-Policy", "no-referrer",
        "X-Content-Type-Options", "nosniff");

    private final Map<String, CachedBody> files;

    private DashboardAssets(final Map<String, CachedBody> files)
    {
        this.files = files;
    }

    /** The dashboard on the classpath; empty (every path unknown) when the dashboard module is not there. */
    static DashboardAssets load()
    {
        return load(DashboardAssets.class.getClassLoader());
    }

    static DashboardAssets load(final ClassLoader loader)
    {
        final Map<String, CachedBody> files = new LinkedHashMap<>();
        try (InputStream manifest = loader.getResourceAsStream(MANIFEST))
        {
            if (manifest != null)
            {
                final BufferedReader lines = new BufferedReader(new InputStreamReader(manifest, StandardCharsets.UTF_8));
                for (String line = lines.readLine(); line != null; line = lines.readLine())
                {
                    final String entry = line.strip();
                    if (!entry.isEmpty() && !entry.startsWith("#"))
                    {
                        final int space = entry.indexOf(' ');
                        final String name = entry.substring(0, space);
                        files.put(name, read(loader, name, entry.substring(space + 1).strip()));
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + MANIFEST, ex);
        }
        return new DashboardAssets(Collections.unmodifiableMap(files));
    }

    /**
     * Whether {@code path} is the dashboard's: {@code /}, one segment (a site's page; an unknown one is a 404),
     * {@code /share/ID}, or {@code /dashboard/NAME}.
     */
    static boolean isDashboard(final String path)
    {
        if (path.equals("/"))
        {
            return true;
        }
        final int second = path.indexOf('/', 1);
        return second < 0 || isUnder(path, SHARE) || isUnder(path, ASSETS);
    }

    private static boolean isUnder(final String path, final String folder)
    {
        return path.startsWith(folder) && path.length() > folder.length() && path.indexOf('/', folder.length()) < 0;
    }

    /** The page for a page path, the file for {@code /dashboard/NAME}, or null; {@code isSite}: names a site. */
    CachedBody find(final String path, final Predicate<String> isSite)
    {
        if (isUnder(path, ASSETS))
        {
            return files.get(path.substring(ASSETS.length()));
        }
        if (path.equals("/") || isUnder(path, SHARE) || isSite.test(path.substring(1)))
        {
            return files.get(PAGE);
        }
        return null;
    }

    private static CachedBody read(final ClassLoader loader, final String name, final String resource) throws IOException
    {
        try (InputStream in = loader.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IOException(MANIFEST + " lists " + resource + ", which is not on the classpath");
            }
            return new CachedBody(in.readAllBytes(), contentType(name), CACHE, POLICY);
        }
    }

    private static String contentType(final String name)
    {
        if (name.endsWith(".html"))
        {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".css"))
        {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".js"))
        {
            return "text/javascript; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
