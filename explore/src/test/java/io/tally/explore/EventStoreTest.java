package io.tally.explore;

import io.tally.store.Journal;
import io.tally.store.agent.SupervisedAgent;
import io.tally.store.state.FreeSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's agent on its own thread, tailing a journal that is being written: events become queryable within a
 * round, queries see only the range asked for, parameters are bound, and a close seals all that was journaled.
 */
class EventStoreTest
{
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dataDir;

    @Test
    void eventsAreQueryableWithinARoundAndACloseSealsTheRest() throws Exception
    {
        try (Journal journal = Journal.openForWriting(dataDir); EventQueries queries = new EventQueries(dataDir, 1))
        {
            final Random random = new Random(3);
            try (EventStore store = new EventStore(dataDir, journal, 0, 100, () -> TestJournal.T0, new FreeSpace(dataDir, 0)))
            {
                TestJournal.append(journal, 500, 4, random);
                awaitPosition(store, journal.lastIndex());
                assertEquals(SupervisedAgent.State.RUNNING, store.agent().state());
                assertEquals(EventStoreOracle.fromJournal(dataDir, Long.MAX_VALUE), EventStoreOracle.fromStore(dataDir));
                TestJournal.append(journal, 300, 4, random);
            }
            assertEquals(EventStoreOracle.fromJournal(dataDir, Long.MAX_VALUE), EventStoreOracle.fromStore(dataDir),
                "the close sealed what was journaled before it");

            final String site = TestJournal.SITES[0];
            final long all = queries.count(site, TestJournal.T0 - 4 * HOUR, TestJournal.T0 + 4 * HOUR);
            final long secondHour = queries.count(site, TestJournal.T0 + HOUR, TestJournal.T0 + 2 * HOUR);
            final long oracleSecondHour = Long.parseLong(EventStoreOracle.fromJournal(dataDir, Long.MAX_VALUE)
                .get(site + " " + java.time.Instant.ofEpochMilli(TestJournal.T0 + HOUR)).get(0));
            assertEquals(oracleSecondHour, secondHour, "a range reads only its hours");
            assertTrue(secondHour > 0 && secondHour < all);
            final long half = queries.count(site, TestJournal.T0 + HOUR, TestJournal.T0 + HOUR + HOUR / 2);
            assertTrue(half > 0 && half < secondHour, "a range inside an hour is cut by the events' time");
            final long purchases = queries.query(site, TestJournal.T0 - 4 * HOUR, TestJournal.T0 + 4 * HOUR,
                "SELECT count(*) FROM events WHERE name = ?", rows ->
                {
                    rows.next();
                    return rows.getLong(1);
                }, "Purchase");
            assertTrue(purchases > 0 && purchases < all, "the parameter is bound: " + purchases + " of " + all);
            assertEquals(0, queries.count("nobody.example", TestJournal.T0 - 4 * HOUR, TestJournal.T0 + 4 * HOUR),
                "a site without files is empty, not an error");
        }
    }

    private static void awaitPosition(final EventStore store, final long index) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.counters().position() < index && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertEquals(index, store.counters().position(), "sealed within the deadline");
    }

    @Test
    void theNativeLibraryUnpackedForThisProcessIsDeletedOnceLoaded() throws Exception
    {
        DuckDb.open(1).close();
        final List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .filter(line -> line.contains("libduckdb_java")).toList();
        assertTrue(!mapped.isEmpty(), "DuckDB is loaded from an unpacked copy");
        assertTrue(mapped.stream().allMatch(line -> line.endsWith("(deleted)")), String.join("\n", mapped));
    }
}
