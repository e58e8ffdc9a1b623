package io.tally.engine.http;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin, stats and limits API is answered off the event loop: with its only thread held up, beacons on the
 * same (single) event loop are still answered; past its queue an API request is 503 {@code busy} at once; and
 * answers on one connection still leave in the order of its requests.
 */
class ApiOffTheEventLoopTest
{
    private static final String PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/\"}";

    @TempDir
    Path dir;

    private TestEngine start()
    {
        return TestEngine.start(dir, b -> b.ioThreads(1).apiThreads(1).apiQueue(1));
    }

    /** Holds the API's only thread until {@code release}; returns once the thread has taken it. */
    private static void holdTheApiThread(final TestEngine engine, final CountDownLatch release) throws InterruptedException
    {
        final CountDownLatch taken = new CountDownLatch(1);
        assertTrue(engine.server().coldWork().submit(() ->
        {
            taken.countDown();
            try
            {
                release.await(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(taken.await(10, TimeUnit.SECONDS));
    }

    private static byte[] get(final String path, final String token)
    {
        return ("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void beaconsAreAnsweredWhileTheApiIsBusyAndTheApiPastItsQueueIsBusy() throws Exception
    {
        try (TestEngine engine = start())
        {
            final String token = engine.engine().adminToken().value();
            final CountDownLatch release = new CountDownLatch(1);
            holdTheApiThread(engine, release);
            try (RawHttp waiting = new RawHttp(engine.port()))
            {
                waiting.send(get("/api/v1/stats/shop.example/kpis?period=7d", token));
                awaitQueued(engine, 1);
                for (int i = 0; i < 20; i++)
                {
                    assertEquals(202, engine.call("POST", "/api/event", PAGEVIEW, null).status(),
                        "a beacon on the one event loop while the API's thread is held");
                }
                final RawHttp.Answer busy = engine.call("GET", "/api/v1/limits", null, token);
                assertEquals(503, busy.status(), busy.body());
                assertEquals("busy", Json.parseObject(busy.body()).get("error"));
                assertEquals("1", busy.header("retry-after"));
                assertEquals(1, engine.server().coldWork().refused());

                release.countDown();
                final RawHttp.Answer kpis = waiting.read();
                assertEquals(200, kpis.status(), kpis.body());
                assertTrue(Json.parseObject(kpis.body()).containsKey("visitors"), kpis.body());
            }
            final String metrics = engine.call("GET", "/metrics", null, null).body();
            assertTrue(metrics.contains("tally_rejections_total{code=\"busy\"} 1.0"), metrics);
        }
    }

    @Test
    void answersOnOneConnectionKeepTheOrderOfItsRequests() throws Exception
    {
        try (TestEngine engine = start())
        {
            final String token = engine.engine().adminToken().value();
            final CountDownLatch release = new CountDownLatch(1);
            holdTheApiThread(engine, release);
            try (RawHttp http = new RawHttp(engine.port()))
            {
                // pipelined in one write: the beacon and the health check behind the API request wait for its answer
                http.send(RawHttp.concat(RawHttp.concat(get("/api/v1/limits", token),
                    RawHttp.post("/api/event", "application/json", PAGEVIEW)),
                    "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
                awaitQueued(engine, 1);
                release.countDown();
                final RawHttp.Answer limits = http.read();
                assertEquals(200, limits.status(), limits.body());
                assertTrue(Json.parseObject(limits.body()).containsKey("burst"), limits.body());
                assertEquals(202, http.read().status());
                final RawHttp.Answer health = http.read();
                assertEquals(200, health.status());
                assertTrue(health.body().contains("\"status\""), health.body());
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status(),
                    "the connection reads again");
            }
            assertEquals(2, engine.dump().size());
        }
    }

    /**
     * A client that sends its requests and then closes its sending side (as {@code nc -N} and simple scripts do)
     * still gets every answer, in order, and then the server closes the connection: the end of the client's
     * input does not throw away answers being made off the loop.
     */
    @Test
    void aClientThatHalfClosesGetsEveryAnswerThenTheConnectionCloses() throws Exception
    {
        try (TestEngine engine = start())
        {
            final String token = engine.engine().adminToken().value();
            for (int round = 0; round < 20; round++)
            {
                try (RawHttp http = new RawHttp(engine.port()))
                {
                    http.send(RawHttp.concat(get("/api/v1/limits", token),
                        RawHttp.post("/api/event", "application/json", PAGEVIEW)));
                    http.shutdownOutput();
                    final RawHttp.Answer limits = http.read();
                    assertEquals(200, limits.status(), "round " + round + ": " + limits.body());
                    assertEquals(202, http.read().status(), "round " + round);
                    assertTrue(http.isClosedByServer(), "round " + round + ": closed after the last answer");
                }
            }
            try (RawHttp http = new RawHttp(engine.port()))
            {
                http.send(RawHttp.post("/api/event", "application/json", PAGEVIEW));
                http.shutdownOutput();
                assertEquals(202, http.read().status());
                assertTrue(http.isClosedByServer(), "a beacon's connection closes after its answer too");
            }
            assertEquals(21, engine.dump().size());
        }
    }

    /**
     * A request that waited in the queue past {@code --api-wait} is answered 503 {@code busy} when its turn comes,
     * not with a late answer, and its connection goes on.
     */
    @Test
    void aRequestThatWaitedPastTheApiWaitIsBusy() throws Exception
    {
        final long waitMillis = 200;
        try (TestEngine engine = TestEngine.start(dir, b -> b.ioThreads(1).apiThreads(1).apiQueue(1)
            .apiWait(Duration.ofMillis(waitMillis))))
        {
            final String token = engine.engine().adminToken().value();
            final CountDownLatch release = new CountDownLatch(1);
            holdTheApiThread(engine, release);
            try (RawHttp http = new RawHttp(engine.port()))
            {
                http.send(get("/api/v1/stats/shop.example/kpis?period=7d", token));
                awaitQueued(engine, 1);
                final long queued = System.nanoTime();
                while (System.nanoTime() - queued <= TimeUnit.MILLISECONDS.toNanos(waitMillis))
                {
                    Thread.sleep(10);
                }
                release.countDown();
                final RawHttp.Answer late = http.read();
                assertEquals(503, late.status(), late.body());
                assertEquals("busy", Json.parseObject(late.body()).get("error"));
                assertEquals("1", late.header("retry-after"));
                assertEquals(1, engine.server().coldWork().late());
                final RawHttp.Answer kpis = http.exchange(get("/api/v1/stats/shop.example/kpis?period=7d", token));
                assertEquals(200, kpis.status(), "the connection goes on, and a request that did not wait is answered");
            }
            final String metrics = engine.call("GET", "/metrics", null, null).body();
            assertTrue(metrics.contains("tally_rejections_total{code=\"busy\"} 1.0"), metrics);
        }
    }

    private static void awaitQueued(final TestEngine engine, final int tasks) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.server().coldWork().queued() < tasks)
        {
            assertTrue(System.nanoTime() < deadline, "the API request did not reach the queue");
            Thread.sleep(1);
        }
    }
}
