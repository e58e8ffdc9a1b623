package io.tally.ops;

import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durability promise: an event answered 202 is in the journal, even when the engine is killed with
 * SIGKILL while beacons are streaming in over several connections. After the kill the engine restarts on
 * the same data and the dump holds every acknowledged event exactly once.
 */
class SigkillDurabilityTest
{
    private static final int CONNECTIONS = 6;
    private static final int PER_CONNECTION = 3_000;

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedEventSurvivesAKillExactlyOnce() throws Exception
    {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicInteger sent = new AtomicInteger();
        final CountDownLatch halfway = new CountDownLatch(CONNECTIONS);
        final List<Thread> senders = new ArrayList<>();
        try (EngineProcess engine = EngineProcess.start(dataDir, "--site", "shop.example", "--ingest-rate-limit", "0"))
        {
            for (int c = 0; c < CONNECTIONS; c++)
            {
                final int connection = c;
                final Thread sender = new Thread(() -> send(engine.port(), connection, acknowledged, sent, halfway));
                sender.start();
                senders.add(sender);
            }
            halfway.await();
            engine.kill();
            for (final Thread sender : senders)
            {
                sender.join();
            }
        }
        assertTrue(acknowledged.size() >= CONNECTIONS * PER_CONNECTION / 4, "enough events were acknowledged before the kill");
        assertTrue(sent.get() < CONNECTIONS * PER_CONNECTION, "the kill came mid-stream (sent " + sent.get() + ")");

        try (EngineProcess restarted = EngineProcess.start(dataDir, "--site", "shop.example", "--ingest-rate-limit", "0");
            RawHttp http = new RawHttp(restarted.port()))
        {
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"t\":\"e\",\"n\":\"AfterRestart\",\"u\":\"https://shop.example/\"}")).status());
            final Map<String, Integer> copies = new HashMap<>();
            long lastIndex = -1;
            for (final Map<String, Object> record : TestEngine.dump(dataDir))
            {
                final long index = Long.parseLong(record.get("index").toString());
                assertTrue(index > lastIndex, "indices only grow");
                lastIndex = index;
                copies.merge((String)record.get("name"), 1, Integer::sum);
            }
            for (final String id : acknowledged)
            {
                assertEquals(1, copies.getOrDefault(id, 0), "acknowledged event " + id + " must be there exactly once");
            }
            copies.forEach((id, count) -> assertEquals(1, count, id + " was journaled more than once"));
            assertEquals(1, copies.getOrDefault("AfterRestart", 0), "the restarted engine appends after the old records");
        }
    }

    private static void send(final int port, final int connection, final Set<String> acknowledged, final AtomicInteger sent,
        final CountDownLatch halfway)
    {
        try (RawHttp http = new RawHttp(port))
        {
            for (int i = 0; i < PER_CONNECTION; i++)
            {
                final String id = "E" + connection + "-" + i;
                sent.incrementAndGet();
                final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"e\",\"n\":\"" + id + "\",\"u\":\"https://shop.example/p\",\"mk\":[\"seq\"],\"mv\":[" + i + "]}"));
                if (answer.status() == 202)
                {
                    acknowledged.add(id);
                }
                if (i == PER_CONNECTION / 2)
                {
                    halfway.countDown();
                }
            }
        }
        catch (final IOException expected)
        {
            // the kill cuts the connection: whatever was answered 202 before is what counts
        }
        finally
        {
            halfway.countDown();
        }
    }
}
