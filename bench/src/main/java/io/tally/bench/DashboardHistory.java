package io.tally.bench;

import io.tally.store.Journal;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code tally bench dashboard-history}: a data directory whose journal holds the last N days of a busy site
 * ({@link RollupQueryBench}'s records for {@code shop.example}, ending at today's UTC midnight), for
 * {@code tally bench dashboard} to measure the dashboard over. The engine started on that directory counts the journal
 * into its rollups first ({@code /healthz}'s rollup lag reaches 0), as it would after a replay.
 */
final class DashboardHistory
{
    private static final Set<String> FLAGS = Set.of("data-dir", "events", "days", "visitors");
    private static final long DAY = 86_400_000L;

    private DashboardHistory()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("tally bench dashboard-history --data-dir D [--events 10000000] [--days 90] [--visitors 50000]");
        out.println("  writes D/journal: the events spread evenly over the last N days, visitors a day as given; then");
        out.println("  ./tally serve --data-dir D --site " + RollupQueryBench.SITE + " and tally bench dashboard");
    }

    static int run(final List<String> args, final PrintStream out)
    {
        final Flags flags = new Flags(args, FLAGS);
        if (flags.wantsHelp())
        {
            printHelp(out);
            return 0;
        }
        final String dir = flags.string("data-dir", null);
        if (dir == null)
        {
            throw new IllegalArgumentException("--data-dir is required");
        }
        final Path journalDir = Path.of(dir).resolve("journal");
        if (Files.exists(journalDir))
        {
            throw new IllegalArgumentException(journalDir + " exists: give a new data directory");
        }
        final int events = (int)flags.number("events", 10_000_000, 1, 1_000_000_000);
        final int days = (int)flags.number("days", 90, 1, 3_650);
        final int visitors = (int)flags.number("visitors", 50_000, 1, 100_000_000);
        final long today = Math.floorDiv(System.currentTimeMillis(), DAY) * DAY;
        final long start = System.nanoTime();
        try (Journal journal = Journal.openForWriting(Path.of(dir)))
        {
            RollupQueryBench.write(journal, events, days, visitors, today - days * DAY);
        }
        out.printf(Locale.ROOT, "journaled %,d events of %s over the %d days before today (%,d visitors a day) in %s, %.1f s%n",
            events, RollupQueryBench.SITE, days, visitors, journalDir, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
