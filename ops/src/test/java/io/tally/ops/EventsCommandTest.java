package io.tally.ops;

import io.tally.explore.EventFiles;
import io.tally.explore.EventQueries;
import io.tally.explore.EventStoreOracle;
import io.tally.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event store as {@code tally serve} runs it (over a real process and real sockets): events are queryable
 * within a round of being taken, {@code --event-store false} writes nothing, and {@code tally events rebuild} remakes
 * the files from the journal.
 */
class EventsCommandTest
{
    private static final String SITE = "shop.example";

    @TempDir
    Path dir;

    @Test
    void eventsAreQueryableWithinARoundAndRebuildRemakesTheFiles() throws Exception
    {
        final Path data = dir.resolve("data");
        try (EngineProcess engine = EngineProcess.start(data, "--site", SITE, "--event-store", "true", "--events-seal-interval", "200");
            RawHttp http = new RawHttp(engine.port());
            EventQueries queries = new EventQueries(data, 1))
        {
            for (int i = 0; i < 5; i++)
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"e\",\"n\":\"Stored\",\"u\":\"https://shop.example/\",\"ra\":1.25}", "User-Agent: u" + i)).status());
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            final long now = System.currentTimeMillis();
            while (queries.count(SITE, now - 3_600_000L, now + 3_600_000L) < 5 && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            assertEquals(5, queries.count(SITE, now - 3_600_000L, now + 3_600_000L), "sealed while the engine runs");
            String metrics = "";
            while (System.nanoTime() < deadline && !metrics.contains("tally_event_store_lag_events 0.0\n"))
            {
                metrics = http.exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).body();
            }
            assertTrue(metrics.contains("tally_event_store_rows_sealed_total 5.0\n") &&
                metrics.contains("tally_event_store_lag_events 0.0\n") && metrics.contains("tally_agent_running{agent=\"events\"} "),
                metrics);
            assertEquals(0, engine.terminate());
        }
        final Map<String, List<String>> expected = EventStoreOracle.fromJournal(data, Long.MAX_VALUE);
        assertEquals(expected, EventStoreOracle.fromStore(data));

        deleteTree(data.resolve(EventFiles.DIRECTORY));
        final String output = run("events", "rebuild", "--data-dir", data.toString());
        assertTrue(output.contains("from 5 journal records"), output);
        assertEquals(expected, EventStoreOracle.fromStore(data));
        assertFalse(Files.exists(data.resolve(EventFiles.DIRECTORY + ".rebuild")), "the scratch directory is gone");
    }

    @Test
    void withTheEventStoreOffNothingIsSealed() throws Exception
    {
        final Path data = dir.resolve("off");
        try (EngineProcess engine = EngineProcess.start(data, "--site", SITE, "--event-store", "false");
            RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"t\":\"p\",\"u\":\"https://shop.example/\"}", "User-Agent: u")).status());
            assertTrue(!http.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).body()
                .contains("\"events\""), "no event store agent");
            assertEquals(0, engine.terminate());
        }
        assertFalse(Files.exists(data.resolve(EventFiles.DIRECTORY)));
    }

    @Test
    void badSettingsAreUsageErrors() throws Exception
    {
        final String data = dir.resolve("never").toString();
        assertTrue(runFailing("serve", "--data-dir", data, "--event-store", "maybe").contains("--event-store must be true or false"));
        assertTrue(runFailing("serve", "--data-dir", data, "--events-seal-interval", "99").contains("100 to 60000"));
        assertTrue(runFailing("serve", "--data-dir", data, "--events-seal-interval", "60001").contains("100 to 60000"));
        assertFalse(Files.exists(dir.resolve("never")), "refused before the engine starts");
        assertTrue(run("events", "--help").contains("Usage: tally events rebuild"));
    }

    private static String run(final String... args)
    {
        return run(0, args);
    }

    private static String runFailing(final String... args)
    {
        return run(2, args);
    }

    private static String run(final int expectedExit, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit = Main.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, exit, text);
        return text;
    }

    private static void deleteTree(final Path directory) throws Exception
    {
        try (var paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
