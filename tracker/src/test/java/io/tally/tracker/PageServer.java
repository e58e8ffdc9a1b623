package io.tally.tracker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The site under test: a plain HTTP server on its own loopback port, so the engine is another origin (CORS and
 * {@code data-api} are exercised). Serves registered pages, the vendored Plausible script, and a small file for
 * any {@code /files/...} path (downloads).
 */
public final class PageServer implements AutoCloseable
{
    private final HttpServer server;
    private final Map<String, String> pages = new ConcurrentHashMap<>();

    public PageServer()
    {
        try
        {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        server.createContext("/", this::serve);
        server.start();
    }

    /** The page's origin, {@code http://127.0.0.1:PORT}. */
    public String origin()
    {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The same server under another host name: links there are outbound. */
    public String otherOrigin()
    {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Serves {@code html} at {@code path} (without query); returns its URL. */
    public String page(final String path, final String html)
    {
        pages.put(path, html);
        return origin() + path;
    }

    /** The snippet as a site embeds it: the stub, then the script from the engine at {@code enginePort}. */
    public static String snippet(final int enginePort, final String attributes)
    {
        final String engine = "http://127.0.0.1:" + enginePort;
        return "<script>window.tally=window.tally||{q:[],track:function(){tally.q.push(arguments)}}</script>\n" +
            "<script defer data-site=\"shop.example\" data-api=\"" + engine + "\" " + attributes + " src=\"" + engine +
            "/js/tally.js\"></script>\n";
    }

    /** A whole page: {@code head} then {@code body}, with listeners that record any error reaching the page. */
    public static String html(final String head, final String body)
    {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Test page</title>\n" +
            "<script>window.__errors=[];addEventListener('error',e=>__errors.push(String(e.message)));" +
            "addEventListener('unhandledrejection',e=>__errors.push('rejection: '+e.reason));</script>\n" +
            head + "</head><body>\n" + body + "\n</body></html>";
    }

    private void serve(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final String path = exchange.getRequestURI().getPath();
            final String html = pages.get(path);
            if (html != null)
            {
                send(exchange, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
            }
            else if (path.equals("/plausible.js"))
            {
                try (InputStream in = PageServer.class.getResourceAsStream("plausible/plausible.js"))
                {
                    send(exchange, 200, "text/javascript", in.readAllBytes());
                }
            }
            else if (path.startsWith("/files/"))
            {
                send(exchange, 200, "application/octet-stream", "file".getBytes(StandardCharsets.US_ASCII));
            }
            else
            {
                send(exchange, 404, "text/plain", "no such page".getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    private static void send(final HttpExchange exchange, final int status, final String type, final byte[] body)
        throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
