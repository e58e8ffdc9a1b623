package io.tally.bench;

import io.tally.bench.compare.Compare;
import io.tally.bench.compare.JournalRecords;
import io.tally.bench.compare.MappedRecords;
import io.tally.bench.compare.NullServer;
import io.tally.bench.compare.RequestRecords;
import io.tally.bench.dashboard.DashboardTiming;
import io.tally.bench.load.LoadGenerator;
import io.tally.bench.load.LoadOptions;
import io.tally.bench.soak.Soak;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code ./tally bench ...}: the load generator, the comparison harness and the do-nothing server. */
public final class BenchMain
{
    private BenchMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    static int run(final List<String> args, final PrintStream out, final PrintStream err)
    {
        final String command = args.isEmpty() ? "--help" : args.get(0);
        final List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        try
        {
            switch (command)
            {
                case "load":
                    if (rest.contains("--help") || rest.contains("-h"))
                    {
                        LoadOptions.printHelp(out);
                        return 0;
                    }
                    out.print(LoadGenerator.run(LoadOptions.parse(rest)).format());
                    return 0;
                case "compare":
                    return Compare.run(rest, out);
                case "soak":
                    return Soak.run(rest, out);
                case "cluster":
                    return ClusterSizing.run(rest, out);
                case "dashboard":
                    return DashboardTiming.run(rest, out);
                case "dashboard-history":
                    return DashboardHistory.run(rest, out);
                case "beacons-under-stats":
                    return BeaconsUnderStats.run(rest, out);
                case "null-server":
                    return nullServer(rest, out);
                case "jfr-top":
                    return JfrTop.run(rest, out);
                case "--help":
                case "-h":
                case "help":
                    printHelp(out);
                    return 0;
                default:
                    err.println("tally bench: unknown command '" + command + "'");
                    printHelp(err);
                    return 2;
            }
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("tally bench: " + ex.getMessage());
            return 2;
        }
    }

    /** What the do-nothing server writes for each request: nothing, records through a mapping, or into a journal. */
    private static RequestRecords requestRecords(final Flags flags)
    {
        final String mapped = flags.string("mapped-records", null);
        final String journal = flags.string("journal-records", null);
        if (journal == null && flags.string("journal-tailers", null) != null)
        {
            throw new IllegalArgumentException("--journal-tailers reads --journal-records' journal: give that too");
        }
        if (mapped == null && journal == null)
        {
            if (flags.string("record-bytes", null) != null)
            {
                throw new IllegalArgumentException("--record-bytes sizes --mapped-records or --journal-records: give one");
            }
            return null;
        }
        if (mapped != null && journal != null || "scanner".equals(flags.string("decoder", "netty")))
        {
            throw new IllegalArgumentException("--mapped-records or --journal-records, one of them, with --decoder netty");
        }
        final int bytes = (int)flags.number("record-bytes", MappedRecords.TALLY_RECORD_BYTES, 1, 65_536);
        return mapped != null ? new MappedRecords(java.nio.file.Path.of(mapped), bytes) :
            new JournalRecords(java.nio.file.Path.of(journal), bytes, (int)flags.number("journal-tailers", 0, 0, 8));
    }

    private static int nullServer(final List<String> args, final PrintStream out)
    {
        final Flags flags = new Flags(args, Set.of("host", "port", "threads", "transport", "decoder", "mapped-records",
            "journal-records", "journal-tailers", "record-bytes"));
        final RequestRecords records = requestRecords(flags);
        final NullServer server;
        try
        {
            server = new NullServer(flags.string("host", "127.0.0.1"), (int)flags.number("port", 8090, 0, 65535),
                (int)flags.number("threads", 1, 1, 64), NullServer.Transport.valueOf(flags.choice("transport", "epoll", "epoll", "io_uring")),
                NullServer.Decoder.valueOf(flags.choice("decoder", "netty", "netty", "scanner")), records);
        }
        catch (final RuntimeException ex)
        {
            if (records != null)
            {
                records.close();
            }
            throw ex;
        }
        out.println("null-server: listening on port " + server.port());
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            server.close();
            stopped.countDown();
        }));
        try
        {
            stopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static void printHelp(final PrintStream out)
    {
        out.println("tally bench: load generator and comparison harness (loopback only).");
        out.println();
        out.println("  load --url URL [flags]     load a server and report requests/s, answers and latencies");
        out.println("  compare [flags]            the same load against a do-nothing Netty server, nginx and Tally; " +
            "writes BENCHMARKS.md");
        out.println("  soak [flags]               Tally for 10 minutes at half its maximum with admin traffic: heap, RSS,");
        out.println("                             open files and threads sampled from outside, a table and a verdict");
        out.println("  cluster --node H:P --workers H:P,...   a running cluster: a node's events/s with forwarding, the");
        out.println("                             workers' counting rate, 202-to-figure delay p50/p99 at half load");
        out.println("  dashboard --url U --site S  the dashboard in headless Chromium: first paint, figures in, each request");
        out.println("  dashboard-history --data-dir D   a journal of the last 90 days of a busy site to measure it over");
        out.println("  beacons-under-stats        beacon round trips without and with stats readers in a loop (one I/O thread)");
        out.println("  null-server [--port P]     the do-nothing Netty server (answers every request 202);");
        out.println("                             --transport epoll|io_uring, --decoder netty|scanner (experiments);");
        out.println("                             --mapped-records FILE [--record-bytes N]: also writes N bytes a request");
        out.println("                             through a memory-mapped FILE, as a journal does (264, Tally's);");
        out.println("                             --journal-records DATA_DIR [--journal-tailers T] [--record-bytes N]: N bytes");
        out.println("                             a request appended to Tally's journal in DATA_DIR/journal, T threads");
        out.println("                             reading it behind (0)");
        out.println("  jfr-top FILE [--event E]   hottest methods of a JFR recording (CPU or allocation samples)");
        out.println();
        LoadOptions.printHelp(out);
        out.println();
        Compare.printHelp(out);
        out.println();
        Soak.printHelp(out);
    }
}
