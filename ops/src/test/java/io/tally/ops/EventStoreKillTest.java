package io.tally.ops;

import io.tally.explore.EventFiles;
import io.tally.explore.EventStoreOracle;
import io.tally.store.Journal;
import io.tally.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL of a real {@code tally serve} at random moments while it seals events (a round every 100 ms, so a kill
 * lands inside rounds and merges), again and again on the same data dir. After each kill the files, read up to
 * their recorded position, hold exactly the journal's events up to it; after a clean stop at the end, exactly all
 * of the journal's events: counts, index sums and exact sums per site and hour, compared with a journal scan.
 * {@code -Dtally.kill.seed=N} replays the choices (not the timing).
 */
class EventStoreKillTest
{
    private static final String SITE = "shop.example";
    private static final int ROUNDS = 6;

    @TempDir
    Path dataDir;

    @Test
    void theEventStoreHoldsExactlyTheJournalsEventsAfterKillsWhileSealing() throws Exception
    {
        final long seed = Long.getLong(RandomKillTest.SEED_PROPERTY, new Random().nextLong());
        final Random random = new Random(seed);
        try
        {
            for (int round = 1; round <= ROUNDS; round++)
            {
                try (EngineProcess engine = start())
                {
                    final AtomicBoolean stop = new AtomicBoolean();
                    final AtomicLong sent = new AtomicLong();
                    final Thread client = new Thread(() -> send(engine.port(), random.nextLong(), stop, sent));
                    client.start();
                    awaitFirstAnswer(sent, client);
                    // the kill lands at a random point of the sealing rounds, counted from the first event taken
                    Thread.sleep(300 + random.nextInt(2_500));
                    engine.kill();
                    stop.set(true);
                    client.join(20_000);
                    assertTrue(sent.get() > 0, "round " + round + ": events were taken before the kill");
                }
                assertSealedEqualsJournal("after kill " + round);
            }
            try (EngineProcess engine = start())
            {
                assertEquals(0, engine.terminate(), "a clean stop seals everything journaled");
            }
            final long last;
            try (Journal journal = Journal.openForReading(dataDir))
            {
                last = journal.lastIndex();
            }
            assertEquals(last, Long.parseLong(position().trim()), "the clean stop sealed up to the journal's end");
            assertSealedEqualsJournal("after the clean stop");
            assertTrue(Files.list(new EventFiles(dataDir).root().resolve(SITE)).findAny().isPresent());
        }
        catch (final AssertionError | Exception failure)
        {
            throw new AssertionError("seed " + seed + ": " + failure.getMessage(), failure);
        }
    }

    private EngineProcess start() throws IOException, InterruptedException
    {
        return EngineProcess.start(dataDir, "--site", SITE, "--ingest-rate-limit", "0", "--event-store", "true", "--events-seal-interval", "100");
    }

    private void assertSealedEqualsJournal(final String when) throws Exception
    {
        final String recorded = position();
        final long position = recorded == null ? -1 : Long.parseLong(recorded.trim());
        final Map<String, List<String>> journal = EventStoreOracle.fromJournal(dataDir, position);
        assertEquals(journal, EventStoreOracle.fromStore(dataDir), when + ", position " + position);
    }

    /** The recorded position's text (the state file's contents before its seal); null before the first round. */
    private String position() throws IOException
    {
        final Path file = new EventFiles(dataDir).root().resolve("position");
        if (!Files.exists(file))
        {
            return null;
        }
        final String text = Files.readString(file, StandardCharsets.US_ASCII);
        return text.substring(0, text.indexOf('\n'));
    }

    /** Beacons on one keep-alive connection, as fast as the engine answers, until the kill cuts it. */
    private static void send(final int port, final long seed, final AtomicBoolean stop, final AtomicLong sent)
    {
        final Random random = new Random(seed);
        try (RawHttp http = new RawHttp(port))
        {
            while (!stop.get())
            {
                final String body = "{\"t\":\"e\",\"n\":\"Buy\",\"u\":\"https://" + SITE + "/p/" + random.nextInt(50) +
                    "\",\"ra\":" + random.nextInt(10_000) + "." + random.nextInt(100) + ",\"rc\":\"EUR\"," +
                    "\"mk\":[\"plan\"],\"mv\":[\"p" + random.nextInt(4) + "\"]}";
                if (http.exchange(RawHttp.post("/api/event", "application/json", body,
                    "User-Agent: u" + random.nextInt(1_000))).status() == 202)
                {
                    sent.incrementAndGet();
                }
            }
        }
        catch (final IOException cut)
        {
            // the kill closed the connection
        }
    }

    /** Until the engine has taken an event: on a loaded machine the first can come seconds after the start. */
    private static void awaitFirstAnswer(final AtomicLong sent, final Thread client) throws InterruptedException
    {
        while (sent.get() == 0 && client.isAlive())
        {
            Thread.sleep(10);
        }
    }
}
