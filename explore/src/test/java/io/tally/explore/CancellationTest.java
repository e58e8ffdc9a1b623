package io.tally.explore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code COPY ... TO} of 20 million rows (about 2 GB: seconds of writing, bounded should a stop ever fail) is stopped from another thread by its
 * {@link Cancellation} once its file is growing, in a real DuckDB; one asked to stop before it starts never runs.
 */
class CancellationTest
{
    private static final String SITE = "shop.example";
    /** 2100-01-01: the range of the view the statement does not read. */
    private static final long UNTIL = 4_102_444_800_000L;
    private static final String ENDLESS = "COPY (SELECT i, repeat('x', 100) AS pad FROM range(20000000) t(i)) TO ";

    @TempDir
    Path dataDir;

    @Test
    void aRunningCopyIsStoppedAndThrows() throws Exception
    {
        final Path out = dataDir.resolve("endless.csv");
        final Cancellation cancellation = new Cancellation();
        try (EventQueries queries = new EventQueries(dataDir, 1))
        {
            final CompletableFuture<Long> copy = CompletableFuture.supplyAsync(() -> execute(queries, cancellation, out));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (size(out) < (1 << 20))
            {
                assertFalse(copy.isDone(), "the copy runs until it is stopped");
                assertTrue(System.nanoTime() < deadline, "the file grows within 60 s");
                Thread.sleep(5);
            }
            cancellation.request();
            final ExecutionException stopped = assertThrows(ExecutionException.class, () -> copy.get(60, TimeUnit.SECONDS));
            assertInstanceOf(SQLException.class, stopped.getCause(), stopped.toString());
            assertTrue(cancellation.requested());
        }
    }

    @Test
    void aCopyAskedToStopBeforeItStartsNeverRuns() throws Exception
    {
        final Path out = dataDir.resolve("never.csv");
        final Cancellation cancellation = new Cancellation();
        cancellation.request();
        try (EventQueries queries = new EventQueries(dataDir, 1))
        {
            assertThrows(SQLException.class, () -> queries.execute(SITE, 0, UNTIL, cancellation,
                ENDLESS + DuckDb.literal(out.toString()) + " (FORMAT csv)"));
        }
        assertFalse(Files.exists(out), "nothing was written");
    }

    private static long execute(final EventQueries queries, final Cancellation cancellation, final Path out)
    {
        try
        {
            return queries.execute(SITE, 0, UNTIL, cancellation, ENDLESS + DuckDb.literal(out.toString()) +
                " (FORMAT csv)");
        }
        catch (final SQLException ex)
        {
            throw new java.util.concurrent.CompletionException(ex);
        }
    }

    private static long size(final Path file) throws java.io.IOException
    {
        return Files.exists(file) ? Files.size(file) : 0;
    }
}
