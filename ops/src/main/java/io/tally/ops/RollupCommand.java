package io.tally.ops;

import io.tally.store.Journal;
import io.tally.store.rollup.RollupRebuild;
import io.tally.store.state.StateFiles;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code tally rollup rebuild}: recomputes every rollup from the journal and writes a fresh checkpoint. Run it
 * with the engine stopped: a running engine keeps writing its own checkpoints.
 */
final class RollupCommand
{
    static final List<Option> OPTIONS = List.of(ServeCommand.DATA_DIR);

    private RollupCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally rollup rebuild [--data-dir DIR]");
        out.println();
        out.println("Recomputes the rollups from the whole journal (stop the engine first).");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out)
    {
        final CommandLine commandLine = new CommandLine(args, OPTIONS);
        if (commandLine.wantsHelp() || !commandLine.positional().equals(List.of("rebuild")))
        {
            printHelp(out);
            return commandLine.wantsHelp() ? 0 : 2;
        }
        final Path dataDir = Path.of(new Settings(commandLine, environment, Map.of()).value(ServeCommand.DATA_DIR));
        final long records;
        try (Journal journal = Journal.openForReading(dataDir))
        {
            records = RollupRebuild.rebuild(new StateFiles(dataDir), journal, System::currentTimeMillis);
        }
        out.println("rebuilt the rollups from " + records + " journal records");
        return 0;
    }
}
