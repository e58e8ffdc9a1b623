package io.tally.engine.http;

import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dashboard left open must not stall ingest: the stats API is answered on the API threads, never on an event
 * loop. With the only API thread held busy, a stats request waits for it while a beacon on the same (only) event
 * loop is answered at once; released, the stats request is answered. Made on the event loop, the stats answer
 * would come back before the thread is released. What the queries cost beacons in time is measured by
 * {@code ./tally bench beacons-under-stats} (BENCHMARKS.md), not here.
 */
class StatsOffTheEventLoopTest
{
    private static final String PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/landing\"}";

    @TempDir
    Path dir;

    @Test
    void aBeaconIsAnsweredWhileAStatsRequestWaitsForAnApiThread() throws Exception
    {
        // the waiting stats request must still be answered, not turned away as too late (--api-wait)
        try (TestEngine engine = TestEngine.start(dir, b -> b.ioThreads(1).apiThreads(1).apiWait(Duration.ofMinutes(1))))
        {
            final String admin = engine.engine().adminToken().value();
            final CountDownLatch started = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            assertTrue(engine.server().coldWork().submit(() ->
            {
                started.countDown();
                awaitQuietly(release);
            }), "the API thread takes the task that holds it");
            assertTrue(started.await(10, TimeUnit.SECONDS), "the API thread is held");
            try (RawHttp stats = new RawHttp(engine.port()); RawHttp beacons = new RawHttp(engine.port()))
            {
                stats.send(("GET /api/v1/stats/shop.example/kpis?period=30d HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                    admin + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                for (int i = 0; i < 3; i++)
                {
                    assertEquals(202, beacons.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status(),
                        "a beacon is answered while the stats request waits");
                }
                stats.setReadTimeoutMillis(300);
                assertThrows(SocketTimeoutException.class, stats::read, "no stats answer before an API thread is free");
                release.countDown();
                stats.setReadTimeoutMillis(15_000);
                final RawHttp.Answer answer = stats.read();
                assertEquals(200, answer.status(), answer.body());
                assertTrue(answer.body().contains("\"visitors\""), answer.body());
            }
            finally
            {
                release.countDown();
            }
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(60, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
