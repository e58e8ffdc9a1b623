package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.engine.api.AdminToken;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
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
        try (EngineProcess engine = EngineProcess.start(dataDir, "--site", "shop.example", "--ingest-rate-limit", "0",
            "--rollup-checkpoint-interval", "100"))
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
            assertRollupsMatchTheJournal(restarted);
        }
    }

    /**
     * The rollups came back from the last checkpoint written before the kill plus the journal's tail: their
     * figures must equal a count over the journal, nothing counted twice or missed.
     */
    private void assertRollupsMatchTheJournal(final EngineProcess engine) throws Exception
    {
        assertTrue(Files.exists(dataDir.resolve("rollups.ckpt")), "checkpoints were written before the kill");
        final List<Map<String, Object>> records = TestEngine.dump(dataDir);
        final String token = AdminToken.readFrom(dataDir);
        final long deadline = System.nanoTime() + 20_000_000_000L;
        Map<String, Object> kpis;
        do
        {
            Thread.sleep(50);
            try (RawHttp http = new RawHttp(engine.port()))
            {
                kpis = Json.parseObject(http.exchange(("GET /api/v1/stats/shop.example/kpis?period=today " +
                    "HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n").getBytes()).body());
            }
        }
        while (((BigDecimal)kpis.get("events")).longValue() < records.size() && System.nanoTime() < deadline);
        assertEquals(records.size(), ((BigDecimal)kpis.get("events")).longValue(), "every journaled event counted once");
        assertEquals(records.stream().map(r -> r.get("visitor")).distinct().count(), ((BigDecimal)kpis.get("visitors")).longValue());
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
