package io.tally.explore;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each format of an export holds one site's events of the range, as many as the store has there, with the exact
 * revenue sum the journal has; a condition with a parameter narrows it.
 */
class EventExportTest
{
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dataDir;

    @Test
    void everyFormatHoldsTheRangesEventsAndTheirExactRevenue() throws Exception
    {
        TestJournal.write(dataDir, 600, 3, 11);
        try (Journal journal = Journal.openForReading(dataDir); EventSealer sealer = EventSealer.open(new EventFiles(dataDir), 0);
            JournalReader reader = journal.newReader())
        {
            while (sealer.apply(reader, 1000) > 0)
            {
                // all of it, in one round
            }
            sealer.seal();
        }
        final String site = TestJournal.SITES[0];
        final long from = TestJournal.T0 + HOUR;
        final long to = TestJournal.T0 + 3 * HOUR;
        try (EventQueries queries = new EventQueries(dataDir, 1))
        {
            final long count = queries.count(site, from, to);
            final java.math.BigDecimal revenue = queries.query(site, from, to, "SELECT coalesce(sum(revenue), 0) FROM events",
                rows -> rows.next() ? rows.getBigDecimal(1) : null);
            assertTrue(count > 50, "a range with events: " + count);
            for (final EventExport.Format format : EventExport.Format.values())
            {
                final Path out = dataDir.resolve("out." + format.suffix());
                assertEquals(count, EventExport.write(queries, site, from, to, format, "", List.of(), out), format.name());
                final String read = switch (format)
                {
                    case PARQUET -> "read_parquet('" + out + "')";
                    case CSV -> "read_csv('" + out + "', header = true, types = {'revenue': 'DECIMAL(38,18)'})";
                    case NDJSON -> "read_json('" + out + "', format = 'newline_delimited', columns = {site: 'VARCHAR', " +
                        "revenue: 'VARCHAR', time: 'TIMESTAMP'})";
                };
                try (Connection connection = DuckDb.open(1); Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT count(*), coalesce(sum(revenue::DECIMAL(38,18)), 0), " +
                        "count(DISTINCT site), min(time) >= make_timestamp(" + from * 1000 + "), max(time) < make_timestamp(" +
                        to * 1000 + ") FROM " + read))
                {
                    result.next();
                    assertEquals(count, result.getLong(1), format.name());
                    assertEquals(0, revenue.compareTo(result.getBigDecimal(2)), format + ": " + result.getBigDecimal(2));
                    assertEquals(1, result.getLong(3), format.name());
                    assertTrue(result.getBoolean(4) && result.getBoolean(5), format + ": inside the range");
                }
            }
            final Path purchases = dataDir.resolve("purchases.ndjson");
            final long bought = EventExport.write(queries, site, from, to, EventExport.Format.NDJSON, "name = ?", List.of("Purchase"),
                purchases);
            assertTrue(bought > 0 && bought < count, bought + " of " + count);
            assertEquals(bought, Files.readAllLines(purchases).size());
        }
    }
}
