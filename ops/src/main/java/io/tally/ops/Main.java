package io.tally.ops;

import io.tally.codec.Suggestions;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code tally} command line: a short list of commands, each with its own full help; a mistyped command or
 * flag is a one-line error with the closest name. Exit codes: {@link #OK}, {@link #FAILED}, {@link #USAGE},
 * {@link #PARTIAL}.
 */
public final class Main
{
    /** Done. */
    static final int OK = 0;
    /** Something failed: the engine refused, could not be reached, a file could not be read. */
    static final int FAILED = 1;
    /** The command line or the configuration is wrong: nothing was done. */
    static final int USAGE = 2;
    /** Done in part: {@code replay} sent every line but the engine rejected some. */
    static final int PARTIAL = 3;

    /** Runs one command with its arguments (after the command's name). */
    interface Runner
    {
        int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err);
    }

    /** A command: its name, its line in the short help, its flags (for old environment names), its full help. */
    record Command(String name, String summary, List<Option> options, Consumer<PrintStream> help, Runner runner)
    {
    }

    private static final String BENCH_USAGE =
        "Usage: ./tally bench load|compare|soak|null-server|jfr-top (through the ./tally launcher; ./tally bench --help)";

    static final List<Command> COMMANDS = List.of(
        new Command("serve", "run the engine until SIGTERM/SIGINT", ServeCommand.OPTIONS, ServeCommand::printHelp,
            (args, env, out, err) -> ServeCommand.run(args, env, out)),
        new Command("worker", "a cluster's rollup worker: counts a Kafka topic and serves the stats API",
            WorkerCommand.OPTIONS, WorkerCommand::printHelp, (args, env, out, err) -> WorkerCommand.run(args, env, out)),
        new Command("goals", "list, show, add, replace, remove and order a running engine's goals", GoalsCommand.OPTIONS,
            GoalsCommand::printHelp, GoalsCommand::run),
        new Command("token", "create, list and revoke site tokens of the trusted events API", TokenCommand.OPTIONS,
            TokenCommand::printHelp, TokenCommand::run),
        new Command("limits", "show and change a running engine's rate limiter, remove a site's override",
            LimitsCommand.OPTIONS, LimitsCommand::printHelp, LimitsCommand::run),
        new Command("replay", "stream NDJSON event files (plain or .gz) to a running engine", ReplayCommand.OPTIONS,
            ReplayCommand::printHelp, ReplayCommand::run),
        new Command("journal", "print the journal as JSON lines (dump)", JournalCommand.OPTIONS, JournalCommand::printHelp,
            (args, env, out, err) -> JournalCommand.run(args, env, out, err)),
        new Command("rollup", "rebuild the rollups from the journal, or inspect their segments", RollupCommand.OPTIONS,
            RollupCommand::printHelp, (args, env, out, err) -> RollupCommand.run(args, env, out, err)),
        new Command("sites", "list, add or change, and remove a running engine's sites (kept across restarts)",
            SitesCommand.OPTIONS, SitesCommand::printHelp, SitesCommand::run),
        new Command("backup", "a consistent copy of a running engine's state, to restore from", BackupCommand.OPTIONS,
            BackupCommand::printHelp, BackupCommand::run),
        new Command("events", "rebuild the event store from the journal (engine stopped); export a site's events",
            EventsCommand.OPTIONS,
            EventsCommand::printHelp, (args, env, out, err) -> EventsCommand.run(args, env, out, err)),
        new Command("bench", "load generator and comparison harness (./tally bench --help)", List.of(),
            out -> out.println(BENCH_USAGE),
            (args, env, out, err) ->
            {
                if (args.contains("--help"))
                {
                    out.println(BENCH_USAGE);
                    return OK;
                }
                throw new UsageException("bench runs through the ./tally launcher, from the source tree");
            }));

    private Main()
    {
    }

    public static void main(final String[] args)
    {
        int exit = FAILED;
        try
        {
            exit = run(Arrays.asList(args), System.getenv(), System.out, System.err);
        }
        finally
        {
            // also after an unexpected exception (printed with its stack trace): a thread left running must not
            // keep the process alive
            System.exit(exit);
        }
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out, final PrintStream err)
    {
        final String name = args.isEmpty() ? "--help" : args.get(0);
        final List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        if (name.equals("--help") || name.equals("-h"))
        {
            printHelp(out);
            return OK;
        }
        if (name.equals("--version") || name.equals("version"))
        {
            out.println("tally " + Version.current());
            return OK;
        }
        if (name.equals("help"))
        {
            return help(rest, out, err);
        }
        final Command command = find(name);
        if (command == null)
        {
            return unknown(name, err);
        }
        try
        {
            Option.warnOfOldNames(command.name(), command.options(), environment, err);
            return command.runner().run(rest, environment, out, err);
        }
        catch (final UsageException ex)
        {
            err.println("tally " + command.name() + ": " + ex.getMessage());
            return USAGE;
        }
        catch (final CommandFailure ex)
        {
            err.println("tally " + command.name() + ": " + ex.getMessage());
            return FAILED;
        }
    }

    /** {@code tally help [COMMAND]}: the short help, or one command's full help. */
    private static int help(final List<String> rest, final PrintStream out, final PrintStream err)
    {
        if (rest.isEmpty())
        {
            printHelp(out);
            return OK;
        }
        final Command command = find(rest.get(0));
        if (command == null)
        {
            return unknown(rest.get(0), err);
        }
        command.help().accept(out);
        return OK;
    }

    private static Command find(final String name)
    {
        return COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /** One line, no help below it: the closest command when it looks like a typo. */
    private static int unknown(final String name, final PrintStream err)
    {
        final String closest = Suggestions.closest(name, COMMANDS.stream().map(Command::name).toList());
        err.println("tally: unknown command '" + name + "'" +
            (closest == null ? "; tally --help lists the commands" : "; did you mean " + closest + "?"));
        return USAGE;
    }

    /** The short help: every command in a line; each command's flags are in its own help. */
    static void printHelp(final PrintStream out)
    {
        out.println("Tally: event and conversion-goal ingest engine.");
        out.println();
        out.println("Usage: tally COMMAND [ARGS] [FLAGS]");
        out.println();
        out.println("Commands:");
        COMMANDS.forEach(command -> out.printf("  %-10s %s%n", command.name(), command.summary()));
        out.println();
        out.println("tally COMMAND --help (or tally help COMMAND) shows a command's flags. Every flag has a TALLY_*");
        out.println("environment twin (listed there); a flag beats the environment, which beats the config file.");
        out.println("Exit codes: 0 done, 1 failed, 2 usage error (nothing done), 3 partly done (replay: lines rejected).");
        out.println("tally --version prints the version.");
    }
}
