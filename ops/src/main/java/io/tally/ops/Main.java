package io.tally.ops;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The {@code tally} command line. */
public final class Main
{
    private Main()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out, final PrintStream err)
    {
        final String command = args.isEmpty() ? "--help" : args.get(0);
        final List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        try
        {
            switch (command)
            {
                case "serve":
                    return ServeCommand.run(rest, environment, out);
                case "worker":
                    return WorkerCommand.run(rest, environment, out);
                case "journal":
                    return JournalCommand.run(rest, environment, out);
                case "goals":
                    return GoalsCommand.run(rest, environment, out, err);
                case "replay":
                    return ReplayCommand.run(rest, environment, out);
                case "token":
                    return TokenCommand.run(rest, environment, out, err);
                case "rollup":
                    return RollupCommand.run(rest, environment, out);
                case "events":
                    return EventsCommand.run(rest, environment, out);
                case "limits":
                    return LimitsCommand.run(rest, environment, out, err);
                case "--help":
                case "-h":
                case "help":
                    printHelp(out);
                    return 0;
                default:
                    err.println("tally: unknown command '" + command + "'");
                    printHelp(err);
                    return 2;
            }
        }
        catch (final UsageException ex)
        {
            err.println("tally: " + ex.getMessage());
            return 2;
        }
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Tally: event and conversion-goal ingest engine.");
        out.println();
        out.println("Commands:");
        out.println("  serve                  run the engine (./tally serve --help for its flags)");
        out.println("  worker                 a cluster's rollup worker: counts a Kafka topic (./tally worker --help)");
        out.println("  journal dump           print the journal as JSON lines");
        out.println("  goals                  list, add, remove and order a running engine's goals");
        out.println("  token                  create, list and revoke site tokens for the trusted events API");
        out.println("  replay FILE...         stream NDJSON event files (plain or .gz) to a running engine");
        out.println("  rollup rebuild         recompute the rollups from the journal (engine stopped)");
        out.println("  events rebuild         remake the event store's files from the journal (engine stopped)");
        out.println("  limits [set]           a running engine's rate limiter: settings, top limited addresses; change");
        out.println("  bench load|compare     load generator and comparison harness (./tally bench --help)");
        out.println();
        ServeCommand.printHelp(out);
        out.println();
        JournalCommand.printHelp(out);
        out.println();
        GoalsCommand.printHelp(out);
        out.println();
        TokenCommand.printHelp(out);
        out.println();
        ReplayCommand.printHelp(out);
        out.println();
        RollupCommand.printHelp(out);
        out.println();
        EventsCommand.printHelp(out);
        out.println();
        LimitsCommand.printHelp(out);
    }
}
