package io.tally.engine.metrics;

import io.tally.engine.Engine;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} of the real server after real traffic: every family of the engine, with the values the traffic
 * implies (the notifier's, beside the engine, are checked where it is composed with it).
 */
public class MetricsHttpTest
{
    private static final String PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/\"}";
    private static final String MANY_PROPS = manyProps();

    @TempDir
    Path dataDir;

    @Test
    void afterTrafficEveryFamilyShowsWhatHappened() throws Exception
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.ingestRateLimit(0.01).ingestBurst(5)))
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status());
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status());
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", MANY_PROPS)).status());
                assertEquals(400, http.exchange(RawHttp.post("/api/event", "application/json", "{nope")).status());
                assertEquals(415, http.exchange(RawHttp.post("/api/event", "image/png", PAGEVIEW)).status());
                assertEquals(429, http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status());
                assertEquals(429, http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status());
            }
            awaitRollupsCaughtUp(engine);
            final RawHttp.Answer answer = engine.call("GET", "/metrics", null, null);
            assertEquals(200, answer.status());
            assertTrue(answer.header("content-type").startsWith("text/plain; version=0.0.4"), answer.header("content-type"));
            final String text = answer.body();
            final Map<String, Double> samples = samples(text);

            for (final String family : List.of("tally_requests", "tally_events", "tally_rejections", "tally_rate_limited",
                "tally_rate_limited_addresses", "tally_properties_dropped", "tally_journal_appends", "tally_journal_bytes"))
            {
                assertTrue(text.contains("# TYPE " + family + "_total counter\n"), family);
                assertTrue(text.contains("# HELP " + family + "_total "), family);
            }
            for (final String family : List.of("tally_rollup_lag_events", "tally_rollup_lag_seconds", "tally_open_connections",
                "jvm_memory_used_bytes"))
            {
                assertTrue(text.contains("# TYPE " + family + " gauge\n"), family);
            }
            assertTrue(text.contains("# TYPE tally_request_duration_seconds summary\n"));
            assertTrue(text.contains("# TYPE jvm_gc_collection_seconds summary\n"));

            assertEquals(3.0, samples.get("tally_requests_total{endpoint=\"event\",status=\"202\"}"));
            assertEquals(1.0, samples.get("tally_requests_total{endpoint=\"event\",status=\"400\"}"));
            assertEquals(1.0, samples.get("tally_requests_total{endpoint=\"event\",status=\"415\"}"));
            assertEquals(2.0, samples.get("tally_requests_total{endpoint=\"event\",status=\"429\"}"));
            assertEquals(3.0, samples.get("tally_events_total{endpoint=\"event\",outcome=\"accepted\"}"));
            assertEquals(1.0, samples.get("tally_events_total{endpoint=\"event\",outcome=\"invalid_json\"}"));
            assertEquals(1.0, samples.get("tally_rejections_total{code=\"invalid_json\"}"));
            assertEquals(1.0, samples.get("tally_rejections_total{code=\"unsupported_media_type\"}"));
            assertEquals(2.0, samples.get("tally_rejections_total{code=\"rate_limited\"}"));
            assertEquals(2.0, samples.get("tally_rate_limited_total{limiter=\"default\"}"));
            assertEquals(1.0, samples.get("tally_rate_limited_addresses_total{limiter=\"default\"}"), "one address, twice");
            assertEquals(5.0, samples.get("tally_properties_dropped_total"), "35 properties sent, 30 kept");
            assertEquals(3.0, samples.get("tally_journal_appends_total"));
            assertTrue(samples.get("tally_journal_bytes_total") > 3 * 80, "three records of at least their header");
            assertEquals(0.0, samples.get("tally_rollup_lag_events"));
            assertEquals(0.0, samples.get("tally_rollup_lag_seconds"));
            assertEquals(0.0, samples.get("tally_rollup_unreadable_records_total"));
            assertEquals(1.0, samples.get("tally_open_connections"), "the scrape's own connection");
            assertEquals(7.0, samples.get("tally_request_duration_seconds_count{endpoint=\"event\"}"));
            for (final String quantile : List.of("0.5", "0.99", "0.999"))
            {
                final double seconds = samples.get("tally_request_duration_seconds{endpoint=\"event\",quantile=\"" + quantile + "\"}");
                assertTrue(seconds > 0 && seconds < 60, quantile + ": " + seconds);
            }
            assertTrue(samples.get("jvm_memory_used_bytes{area=\"heap\"}") > 0);
        }
    }

    /**
     * The metrics library keeps every registry its JVM metrics were registered with for the life of the process:
     * an engine's registry held there kept every closed engine reachable (a hundred engines in one test JVM ran it
     * out of heap). A closed engine must leave nothing behind.
     */
    @Test
    void aClosedEngineThatWasScrapedCanBeCollected() throws Exception
    {
        final WeakReference<Engine> closed;
        try (TestEngine engine = TestEngine.start(dataDir))
        {
            assertTrue(engine.call("GET", "/metrics", null, null).body().contains("jvm_memory_used_bytes"));
            closed = new WeakReference<>(engine.engine());
        }
        for (int i = 0; i < 10 && closed.get() != null; i++)
        {
            System.gc();
            Thread.sleep(50);
        }
        assertNull(closed.get(), "something still holds the closed engine");
    }

    @Test
    void aMetricsTokenIsRequiredWhenConfigured() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.metricsToken("scrape-me")))
        {
            final RawHttp.Answer refused = engine.call("GET", "/metrics", null, null);
            assertEquals(401, refused.status());
            assertTrue(refused.body().contains("\"unauthorized\""));
            assertEquals(401, engine.call("GET", "/metrics", null, "wrong").status());
            assertEquals(200, engine.call("GET", "/metrics", null, "scrape-me").status());
            assertEquals(405, engine.call("POST", "/metrics", "{}", "scrape-me").status());
        }
    }

    @Test
    void rollupLagCountsEventsTheRollupsHaveNotApplied()
    {
        try (TestEngine engine = TestEngine.start(dataDir))
        {
            final io.tally.store.Journal journal = engine.engine().journal();
            assertEquals(0, journal.countAfter(-1), "empty journal");
            try (RawHttp http = new RawHttp(engine.port()))
            {
                for (int i = 0; i < 4; i++)
                {
                    http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW));
                }
            }
            catch (final IOException ex)
            {
                throw new AssertionError(ex);
            }
            final long last = journal.lastIndex();
            assertEquals(4, journal.countAfter(-1));
            assertEquals(0, journal.countAfter(last));
            assertEquals(1, journal.countAfter(last - 1));
            assertEquals(3, journal.countAfter(last - 3));
        }
    }

    private static void awaitRollupsCaughtUp(final TestEngine engine) throws InterruptedException
    {
        final Engine e = engine.engine();
        for (int i = 0; i < 500 && e.rollups().lastIndex() != e.journal().lastIndex(); i++)
        {
            Thread.sleep(10);
        }
    }

    /** Each sample line's name with labels to its value. */
    public static Map<String, Double> samples(final String text)
    {
        final Map<String, Double> samples = new HashMap<>();
        for (final String line : text.split("\n"))
        {
            if (!line.isEmpty() && !line.startsWith("#"))
            {
                final int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    private static String manyProps()
    {
        final StringBuilder keys = new StringBuilder();
        final StringBuilder values = new StringBuilder();
        for (int i = 0; i < 35; i++)
        {
            keys.append(i == 0 ? "" : ",").append("\"k").append(i).append('"');
            values.append(i == 0 ? "" : ",").append("\"v").append(i).append('"');
        }
        return "{\"t\":\"e\",\"n\":\"Many\",\"u\":\"https://shop.example/\",\"mk\":[" + keys + "],\"mv\":[" + values + "]}";
    }
}
