package io.tally.ops;

import io.tally.store.Journal;
import io.tally.store.JournalDump;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code tally journal dump}: prints the journal as JSON lines (BEACON.md), also while the engine runs. */
final class JournalCommand
{
    static final Option FROM = Option.of("--from", null, null, "journal index to start at (default: the oldest)");
    static final Option LIMIT = Option.of("--limit", null, null, "most records to print (default: all)");
    static final List<Option> OPTIONS = List.of(ServeCommand.DATA_DIR, FROM, LIMIT);

    private JournalCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally journal dump [--data-dir DIR] [--from INDEX] [--limit N]");
        out.println();
        out.println("Prints one JSON object a line per journal record, oldest first.");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out, final PrintStream err)
    {
        final CommandLine commandLine = new CommandLine(args, OPTIONS);
        if (commandLine.wantsHelp() || commandLine.positional().isEmpty())
        {
            printHelp(commandLine.wantsHelp() ? out : err);
            return commandLine.wantsHelp() ? Main.OK : Main.USAGE;
        }
        AdminClient.subcommand("journal", commandLine.positional(), List.of("dump"));
        if (commandLine.positional().size() > 1)
        {
            throw new UsageException("journal dump takes no argument after it: " + commandLine.positional().subList(1,
                commandLine.positional().size()));
        }
        final Settings settings = new Settings(commandLine, environment, Map.of());
        final long from = settings.value(FROM) == null ? -1 : settings.longValue(FROM);
        final long limit = settings.value(LIMIT) == null ? Long.MAX_VALUE : settings.longValue(LIMIT);
        final Path dataDir = settings.existingDirectory(ServeCommand.DATA_DIR);
        try (Journal journal = Journal.openForReading(dataDir))
        {
            if (journal == null)
            {
                err.println("tally journal: no journal in " + dataDir + " (no " + dataDir.resolve(Journal.DIRECTORY) +
                    " directory): nothing to print");
                return Main.FAILED;
            }
            new JournalDump().dump(journal, from, limit, out);
        }
        return Main.OK;
    }
}
