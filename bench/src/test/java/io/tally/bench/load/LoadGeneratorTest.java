package io.tally.bench.load;

import io.tally.bench.compare.NullServer;
import io.tally.engine.identity.AddressRanges;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator over real sockets, against the do-nothing server and a real engine. */
class LoadGeneratorTest
{
    private static NullServer server;

    @BeforeAll
    static void startServer()
    {
        server = new NullServer("127.0.0.1", 0, 1);
    }

    @AfterAll
    static void stopServer()
    {
        server.close();
    }

    private static LoadResult run(final int port, final String... flags)
    {
        final List<String> args = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + port + "/api/event"));
        args.addAll(List.of(flags));
        return LoadGenerator.run(LoadOptions.parse(args));
    }

    @Test
    void closedModeStopsAtTheRequestCount()
    {
        final long before = server.requests();
        final LoadResult result = run(server.port(), "--requests", "1000", "--connections", "8", "--duration", "60s");
        assertEquals(1000, result.sent());
        assertEquals(1000, result.status(202));
        assertEquals(1000, server.requests() - before);
        assertEquals(0, result.errors());
        assertTrue(result.measuredSeconds() < 60, "stopped when the count was used up, not at the duration");
    }

    @Test
    void closedModeStopsAtTheDurationAndEveryRequestSentIsAnswered()
    {
        final long before = server.requests();
        final long start = System.nanoTime();
        final LoadResult result = run(server.port(), "--duration", "500ms", "--connections", "4");
        final double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(result.measuredSeconds() >= 0.5, "measured " + result.measuredSeconds());
        assertTrue(seconds < 10, "the run ended after " + seconds + " s");
        assertTrue(result.sent() > 0);
        assertEquals(result.sent(), server.requests() - before);
        assertEquals(0, result.errors());
        assertTrue(result.answered() >= result.sent() - 4, "at most one request per connection answered after the window");
    }

    /** The server is this process here (the do-nothing server runs in the test): its threads' CPU is reported. */
    @Test
    void theServersThreadsCpuOverTheMeasuredWindowIsReported()
    {
        final LoadResult result = run(server.port(), "--duration", "500ms", "--connections", "4",
            "--server-pid", Long.toString(ProcessHandle.current().pid()));
        final double total = result.serverThreadSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(total > 0, "threads " + result.serverThreadSeconds);
        assertTrue(total < 4 * result.measuredSeconds() + 1, "at most what the threads could use in the window: " + total);
        assertTrue(result.format().contains("server CPU s by thread:"), result.format());
        assertTrue(run(server.port(), "--duration", "100ms", "--connections", "1").serverThreadSeconds.isEmpty());
    }

    @Test
    void openModeSendsTheRateTimesTheDuration()
    {
        final LoadResult result = run(server.port(), "--mode", "open", "--rate", "2000", "--duration", "1s",
            "--connections", "8");
        final long due = result.sent() + result.unsent();
        final double expected = 2000 * result.measuredSeconds();
        assertTrue(Math.abs(due - expected) <= 10, "due " + due + " in " + result.measuredSeconds() + " s at 2,000/s");
        assertTrue(result.answered() >= result.sent() - 8, "answered " + result.answered() + " of " + result.sent());
        assertEquals(0, result.errors());
    }

    @Test
    void unansweredRequestsTimeOutAndTheRunStillEnds() throws Exception
    {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()))
        {
            final LoadResult result = run(silent.getLocalPort(), "--duration", "300ms", "--timeout", "100ms",
                "--connections", "1", "--requests", "3");
            assertEquals(3, result.sent());
            assertEquals(0, result.answered());
            assertEquals(3, result.timeouts());
        }
    }

    /**
     * The mix against a real engine: 202 for the valid beacons, 400 for the few invalid ones, every 202 in the
     * journal, and the X-Forwarded-For addresses make many visitors.
     */
    @Test
    void theMixAgainstTheEngine(@TempDir final Path dir)
    {
        try (TestEngine engine = TestEngine.start(dir, b -> b.trustedProxies(AddressRanges.parse(List.of("127.0.0.1")))))
        {
            final LoadResult result = run(engine.port(), "--requests", "2000", "--site", "shop.example",
                "--connections", "16", "--duration", "60s");
            assertEquals(2000, result.answered());
            assertEquals(2000, result.status(202) + result.status(400));
            assertTrue(result.status(400) >= 30 && result.status(400) <= 90, "400s: " + result.status(400));
            final List<Map<String, Object>> journal = engine.dump();
            assertEquals(result.status(202), journal.size());
            final Set<Object> visitors = new HashSet<>();
            journal.forEach(record -> visitors.add(record.get("visitor")));
            assertTrue(visitors.size() > 1000, "visitors: " + visitors.size());
        }
    }

    /** With one request a second per address, only spreading the addresses gets every request through. */
    @Test
    void clientAddressesSpreadOverTheLimiter(@TempDir final Path dir)
    {
        try (TestEngine engine = TestEngine.start(dir, b -> b.ingestRateLimit(1).ingestBurst(1)
            .trustedProxies(AddressRanges.parse(List.of("127.0.0.1")))))
        {
            final String[] common = {"--requests", "200", "--site", "shop.example", "--connections", "20", "--seed", "5"};
            final LoadResult forwarded = run(engine.port(), concat(common, "--source", "xff"));
            assertEquals(0, forwarded.status(429));
            final LoadResult bound = run(engine.port(), "--requests", "20", "--site", "shop.example", "--connections", "20",
                "--source", "bind");
            assertEquals(0, bound.status(429));
            assertEquals(20, bound.answered());
            final LoadResult single = run(engine.port(), concat(common, "--source", "none"));
            assertTrue(single.status(429) >= 190, "429s from one address: " + single.status(429));
        }
    }

    private static String[] concat(final String[] first, final String... more)
    {
        final List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }
}
