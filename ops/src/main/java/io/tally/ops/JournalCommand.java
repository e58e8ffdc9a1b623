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

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out)
    {
        final CommandLine commandLine = new CommandLine(args, OPTIONS);
        if (commandLine.wantsHelp() || !commandLine.positional().equals(List.of("dump")))
        {
            printHelp(out);
            return commandLine.wantsHelp() ? 0 : 2;
        }
        final Settings settings = new Settings(commandLine, environment, Map.of());
        final long from = settings.value(FROM) == null ? -1 : Long.parseLong(settings.value(FROM));
        final long limit = settings.value(LIMIT) == null ? Long.MAX_VALUE : Long.parseLong(settings.value(LIMIT));
        try (Journal journal = Journal.openForReading(Path.of(settings.value(ServeCommand.DATA_DIR))))
        {
            if (journal != null)
            {
                new JournalDump().dump(journal, from, limit, out);
            }
        }
        return 0;
    }
}
