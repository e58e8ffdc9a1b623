package io.tally.bench.soak;

import io.tally.bench.Flags;
import io.tally.bench.load.LoadOptions;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The soak's flags, checked: how long, how often to sample, what load, where things run. */
final class SoakSettings
{
    static final Set<String> FLAGS = Set.of("duration", "interval", "rate", "admin-rate", "warmup", "connections",
        "server-cpu", "client-cpu", "port", "site", "work-dir");

    final long durationMillis;
    final long intervalMillis;
    /** Requests/s of the open-loop load; 0: half the engine's maximum, measured first. */
    final int rate;
    /** Admin API requests/s (stats and goal changes by turns); 0: none. */
    final int adminRate;
    final long warmupMillis;
    final int connections;
    final String serverCpu;
    final String clientCpu;
    final int port;
    final String site;
    final Path workParent;
    final String commandLine;

    SoakSettings(final Flags flags, final List<String> args)
    {
        this.durationMillis = flags.millis("duration", 600_000, 10_000, LoadOptions.MAX_DURATION_MILLIS);
        this.intervalMillis = flags.millis("interval", 10_000, 1_000, 600_000);
        if (intervalMillis * 2 > durationMillis)
        {
            throw new IllegalArgumentException("--interval must be at most half of --duration: " + intervalMillis + " ms of " +
                durationMillis + " ms");
        }
        this.rate = (int)flags.number("rate", 0, 0, LoadOptions.MAX_RATE);
        this.adminRate = (int)flags.number("admin-rate", 4, 0, 100);
        this.warmupMillis = flags.millis("warmup", 20_000, 0, 600_000);
        this.connections = (int)flags.number("connections", 128, 1, LoadOptions.MAX_CONNECTIONS);
        this.serverCpu = flags.string("server-cpu", "0");
        this.clientCpu = flags.string("client-cpu", "1");
        this.port = (int)flags.number("port", 18490, 1024, 65535);
        this.site = flags.string("site", "shop.example");
        this.workParent = Path.of(flags.string("work-dir", System.getProperty("java.io.tmpdir"))).toAbsolutePath();
        this.commandLine = ("./tally bench soak " + String.join(" ", args)).trim();
    }

    static void printHelp(final PrintStream out)
    {
        out.println("tally bench soak [flags]   (10 minutes and a little more with the defaults)");
        out.println("  Starts Tally (100 goals) pinned to --server-cpu, loads it at half its maximum in open loop from");
        out.println("  --client-cpu, mixes in admin API stats queries and goal changes, samples the engine's heap");
        out.println("  (/metrics), RSS, threads and open files (/proc) every --interval, and prints a table and a verdict:");
        out.println("  each figure's lowest reading in the first minute against the last, flat or growing.");
        out.println("  --duration T           the soak (10m; 10s to 1h)");
        out.println("  --interval T           between samples (10s)");
        out.println("  --rate N               requests/s; 0: half the maximum, measured first (10 s closed loop) (0)");
        out.println("  --admin-rate N         admin API requests/s, stats and goal changes by turns; 0: none (4)");
        out.println("  --warmup T             load at the rate before the soak, not sampled (20s)");
        out.println("  --connections N        keep-alive connections of the load (128)");
        out.println("  --server-cpu C         CPU list the engine is pinned to (0)");
        out.println("  --client-cpu C         CPU list this process (load, sampling, admin) is pinned to (1)");
        out.println("  --port P               the engine's loopback port (18490)");
        out.println("  --site DOMAIN          the engine's site and the beacons' (shop.example)");
        out.println("  --work-dir DIR         parent of the engine's data dir and log (java.io.tmpdir, usually /tmp)");
    }
}
