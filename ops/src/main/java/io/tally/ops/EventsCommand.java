package io.tally.ops;

import io.tally.engine.Engine;
import io.tally.engine.EngineConfig;
import io.tally.explore.EventFiles;
import io.tally.explore.EventRebuild;
import io.tally.explore.EventStore;
import io.tally.store.Journal;
import io.tally.store.state.FreeSpace;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The event store from the command line: {@code tally events rebuild} remakes its files from the whole journal (run
 * it with the engine stopped); {@code tally serve} starts it beside the engine with {@code --event-store true}.
 */
final class EventsCommand
{
    static final Option EVENT_STORE = Option.of("--event-store", "event_store", "false",
        "seal the journal's events into Parquet files under DATA_DIR/events for the event queries (true/false)");
    static final Option SEAL_INTERVAL = Option.of("--events-seal-interval", "events_seal_interval", "10000",
        "milliseconds between the event store's sealing rounds: how long an event may wait before queries see it");

    static final List<Option> OPTIONS = List.of(ServeCommand.DATA_DIR, ServeCommand.JOURNAL_RETENTION);

    private EventsCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally events rebuild [--data-dir DIR] [--journal-retention-days N]");
        out.println();
        out.println("rebuild: remakes the event store's files from the whole journal (stop the engine first).");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out)
    {
        final CommandLine commandLine = new CommandLine(args, OPTIONS);
        final List<String> positional = commandLine.positional();
        if (commandLine.wantsHelp() || !positional.equals(List.of("rebuild")))
        {
            printHelp(out);
            return commandLine.wantsHelp() ? 0 : 2;
        }
        final Settings settings = new Settings(commandLine, environment, Map.of());
        final Path dataDir = Path.of(settings.value(ServeCommand.DATA_DIR));
        final long records;
        final long started = System.nanoTime();
        try (Journal journal = Journal.openForReading(dataDir))
        {
            records = EventRebuild.rebuild(dataDir, journal, settings.intValue(ServeCommand.JOURNAL_RETENTION),
                System.currentTimeMillis());
        }
        out.printf(Locale.ROOT, "rebuilt the event store from %d journal records in %.1f s: %,d bytes in %s%n", records,
            (System.nanoTime() - started) / 1e9, new EventFiles(dataDir).diskBytes(), new EventFiles(dataDir).root());
        return 0;
    }

    /** Whether the event store runs, and its round interval; checked before the engine starts. */
    record StoreSettings(boolean enabled, int sealIntervalMillis)
    {
    }

    static StoreSettings storeSettings(final Settings settings)
    {
        final int interval = settings.intValue(SEAL_INTERVAL);
        if (interval < 100 || interval > 60_000)
        {
            throw new UsageException("--events-seal-interval must be 100 to 60000 milliseconds: " + interval);
        }
        return new StoreSettings(enabled(settings), interval);
    }

    /** The event store beside {@code engine}, shown in its reports; null when {@code --event-store false}. */
    static EventStore start(final Engine engine, final EngineConfig config, final StoreSettings settings)
    {
        if (!settings.enabled())
        {
            return null;
        }
        final EventStore store = new EventStore(config.dataDir(), engine.journal(), config.journalRetentionDays(),
            settings.sealIntervalMillis(), engine.clock(), new FreeSpace(config.dataDir(), config.minFreeSpace()));
        engine.reportedParts().addAgent(EventStore.AGENT, store.agent());
        engine.reportedParts().addMetrics(new EventStoreMetrics(store.counters(), engine.journal()));
        return store;
    }

    /**
     * The reports under filters, read from {@code store}'s files, handed to {@code engine} before its server starts;
     * null when the store is off (filtered requests then get a 409).
     */
    static EventReports reports(final Engine engine, final Path dataDir, final EventStore store)
    {
        if (store == null)
        {
            return null;
        }
        try
        {
            final EventReports reports = new EventReports(dataDir);
            engine.useFilteredReports(reports);
            return reports;
        }
        catch (final java.sql.SQLException ex)
        {
            throw new IllegalStateException("cannot open the event store's reader: " + ex.getMessage(), ex);
        }
    }

    private static boolean enabled(final Settings settings)
    {
        final String value = settings.value(EVENT_STORE).trim().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false"))
        {
            throw new UsageException("--event-store must be true or false: '" + value + "'");
        }
        return value.equals("true");
    }
}
