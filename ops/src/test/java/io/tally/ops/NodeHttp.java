package io.tally.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests straight to a node's or a worker's port on this machine, for the tests that run a cluster: the answer's
 * body once its status is checked. A failed exchange fails the test.
 */
final class NodeHttp
{
    private final HttpClient http;
    private final Duration timeout;

    /** {@code timeout}: how long one request may take. */
    NodeHttp(final HttpClient http, final Duration timeout)
    {
        this.http = http;
        this.timeout = timeout;
    }

    /** A request whose answer must be a 200: its body. */
    String ok(final int port, final String method, final String path, final String authorization)
    {
        return call(port, method, path, authorization, null, 200, 200);
    }

    /**
     * A request, with {@code authorization} and {@code body} when not null (NDJSON to {@code .../events}, JSON
     * elsewhere): its body, the answer's status having been from {@code lowest} to {@code highest}.
     */
    String call(final int port, final String method, final String path, final String authorization, final String body,
        final int lowest, final int highest)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(timeout).method(method, body == null ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null)
        {
            request.header("Authorization", authorization);
        }
        if (body != null)
        {
            request.header("Content-Type", path.endsWith("/events") ? "application/x-ndjson" : "application/json");
        }
        try
        {
            final HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(answer.statusCode() >= lowest && answer.statusCode() <= highest,
                () -> method + " " + path + ": " + answer.statusCode() + " " + answer.body());
            return answer.body();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
