package io.tally.ops;

import io.tally.store.Journal;
import io.tally.store.rollup.RollupCheckpoint;
import io.tally.store.rollup.RollupRebuild;
import io.tally.store.rollup.segment.Segment;
import io.tally.store.state.StateFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * {@code tally rollup rebuild}: recomputes every rollup from the journal into fresh segments and a fresh checkpoint
 * (run it with the engine stopped: a running engine keeps writing its own). {@code tally rollup inspect}: lists
 * the segments the checkpoint names (works while the engine runs: it only reads).
 */
final class RollupCommand
{
    static final List<Option> OPTIONS = List.of(ServeCommand.DATA_DIR);

    private RollupCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally rollup rebuild|inspect [--data-dir DIR]");
        out.println();
        out.println("rebuild: recomputes the rollups from the whole journal (stop the engine first).");
        out.println("inspect: lists the rollup segments: site, day, kind, records, bytes, file.");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out, final PrintStream err)
    {
        final CommandLine commandLine = new CommandLine(args, OPTIONS);
        final List<String> positional = commandLine.positional();
        if (commandLine.wantsHelp() || positional.isEmpty())
        {
            printHelp(commandLine.wantsHelp() ? out : err);
            return commandLine.wantsHelp() ? Main.OK : Main.USAGE;
        }
        final String subcommand = AdminClient.subcommand("rollup", positional, List.of("rebuild", "inspect"));
        if (positional.size() > 1)
        {
            throw new UsageException("rollup " + subcommand + " takes no argument after it: " + positional.subList(1, positional.size()));
        }
        final Path dataDir = new Settings(commandLine, environment, Map.of()).existingDirectory(ServeCommand.DATA_DIR);
        return subcommand.equals("rebuild") ? rebuild(dataDir, out) : inspect(dataDir, out, err);
    }

    private static int rebuild(final Path dataDir, final PrintStream out)
    {
        final long records;
        try (Journal journal = Journal.openForReading(dataDir))
        {
            records = RollupRebuild.rebuild(new StateFiles(dataDir), journal, System::currentTimeMillis);
        }
        out.println("rebuilt the rollups from " + records + " journal records");
        return 0;
    }

    private static int inspect(final Path dataDir, final PrintStream out, final PrintStream err)
    {
        final List<Object[]> rows;
        try
        {
            rows = RollupCheckpoint.inspect(new StateFiles(dataDir));
        }
        catch (final IOException ex)
        {
            err.println("tally rollup: cannot read the rollup checkpoint in " + dataDir + ": " + ErrorReasons.of(ex));
            return Main.FAILED;
        }
        catch (final RuntimeException ex)
        {
            err.println("tally rollup: cannot read the rollup checkpoint in " + dataDir + ": " + ex.getMessage());
            return Main.FAILED;
        }
        out.printf("%-24s %-10s %-10s %12s %14s  %s%n", "site", "day", "kind", "records", "bytes", "file");
        long records = 0;
        long bytes = 0;
        for (final Object[] row : rows)
        {
            final RollupCheckpoint.Entry entry = (RollupCheckpoint.Entry)row[0];
            if (row[1] instanceof Segment segment)
            {
                records += segment.records();
                bytes += segment.bytes();
                out.printf("%-24s %-10s %-10s %,12d %,14d  %s%n", entry.site(), LocalDate.ofEpochDay(entry.day()), entry.kind(),
                    segment.records(), segment.bytes(), entry.name());
            }
            else
            {
                out.printf("%-24s %-10s %-10s %12s %14s  %s (%s)%n", entry.site(), LocalDate.ofEpochDay(entry.day()), entry.kind(),
                    "-", "-", entry.name(), row[1]);
            }
        }
        out.printf("%d segments, %,d records, %,d bytes%n", rows.size(), records, bytes);
        return 0;
    }
}
