package io.tally.bench.compare;

import io.tally.bench.Flags;
import io.tally.bench.TempDirs;
import io.tally.bench.load.LoadGenerator;
import io.tally.bench.load.LoadOptions;
import io.tally.bench.load.LoadResult;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./tally bench compare}: the same load, in alternating rounds, against the do-nothing Netty server,
 * nginx with the echo module and Tally (100 goals, limiter on with high limits, and off). The servers share one
 * CPU, the generator (this JVM) has the other. First each server's maximum rate (closed mode), then its
 * latency at half of that rate (open mode); CPU time from {@code /proc}. Prints the table and the ratios and
 * writes them into {@code BENCHMARKS.md}.
 */
public final class Compare
{
    static final String CEILING = "netty-null";
    static final String NGINX = "nginx";
    static final String TALLY = "tally";
    static final String TALLY_NO_LIMIT = "tally-nolimit";
    /** The ceiling writing a journal-sized record a request through a memory-mapped file: only when asked for. */
    static final String CEILING_MAPPED = "netty-null-mapped";
    /** The ceiling appending a journal-sized record a request to Tally's journal: only when asked for. */
    static final String CEILING_JOURNAL = "netty-null-journal";
    /** As {@link #CEILING_JOURNAL}, with a thread reading the journal behind, as Tally's rollup agent does. */
    static final String CEILING_JOURNAL_READ = "netty-null-journal-read";
    private static final List<String> ALL_TARGETS = List.of(CEILING, NGINX, TALLY, TALLY_NO_LIMIT);
    /** Tally (limiter on) with its journal on tmpfs and the rest of its data dir on the disk: only when asked for. */
    static final String TALLY_JOURNAL_SHM = "tally-journal-shm";
    /** Tally (limiter on) with its journal on the disk and the rest of its data dir on tmpfs: only when asked for. */
    static final String TALLY_REST_SHM = "tally-rest-shm";
    /** Tally (limiter on) without its journal pretoucher (an A/B of it in one run): only when asked for. */
    static final String TALLY_NO_PRETOUCH = "tally-nopretouch";
    private static final Path SHM = Path.of("/dev/shm");
    private static final List<String> KNOWN_TARGETS = List.of(CEILING, NGINX, TALLY, TALLY_NO_LIMIT, CEILING_MAPPED,
        CEILING_JOURNAL, CEILING_JOURNAL_READ, TALLY_JOURNAL_SHM, TALLY_REST_SHM, TALLY_NO_PRETOUCH);
    /** Before each measurement: the connections open and the generator's code for the mode is compiled. */
    private static final String MEASUREMENT_WARMUP = "1s";
    private static final Set<String> FLAGS = Set.of("rounds", "duration", "open-duration", "open-rate", "warmup", "connections",
        "targets", "server-cpu", "client-cpu", "io-threads", "port", "write", "site", "jfr", "work-dir");

    private Compare()
    {
    }

    public static int run(final List<String> args, final PrintStream out)
    {
        final Flags flags = new Flags(args, FLAGS);
        if (flags.wantsHelp())
        {
            printHelp(out);
            return 0;
        }
        final CompareSettings settings = new CompareSettings(flags, args);
        final String machine = Machine.describe();
        if (settings.targets.contains(NGINX))
        {
            Nginx.ensureInstalled(out);
        }
        Processes.pinThisProcess(settings.clientCpu);
        final Path work = createWorkDir(settings.workParent);
        final Path shm = settings.targets.contains(TALLY_JOURNAL_SHM) || settings.targets.contains(TALLY_REST_SHM) ?
            createWorkDir(SHM) : null;
        final Map<String, Target> targets = new LinkedHashMap<>();
        boolean deleteWorkDir = false;
        try
        {
            targets.putAll(targets(settings, work, shm));
            for (final Target target : targets.values())
            {
                out.println("compare: starting " + target.name() + " on CPU " + settings.serverCpu);
                target.start(settings.serverCpu);
            }
            final CompareReport report = measure(settings, targets, out);
            final String markdown = report.markdown(settings, machine + " Load average after: " + Machine.loadAverage() + ".");
            out.println();
            out.println(markdown);
            if (settings.write)
            {
                CompareReport.writeInto(settings.root.resolve("BENCHMARKS.md"), markdown);
                out.println("compare: written to " + settings.root.resolve("BENCHMARKS.md"));
            }
            deleteWorkDir = true;
            return 0;
        }
        finally
        {
            try
            {
                targets.values().forEach(Target::close);
                if (deleteWorkDir)
                {
                    TempDirs.delete(work);
                }
                else
                {
                    out.println("compare: the servers' logs, configs and data are in " + work +
                        (shm == null ? "" : " (what was on " + shm + " is deleted: it is memory)"));
                }
            }
            finally
            {
                if (shm != null)
                {
                    TempDirs.delete(shm);
                }
            }
        }
    }

    private static CompareReport measure(final CompareSettings settings, final Map<String, Target> targets,
        final PrintStream out)
    {
        final CompareReport report = new CompareReport(new ArrayList<>(targets.keySet()));
        for (final Target target : targets.values())
        {
            out.println("compare: warming up " + target.name());
            LoadGenerator.run(load(settings, target, "closed", 0, settings.warmupMillis));
            LoadGenerator.run(load(settings, target, "open", 1000, 1000));
        }
        final List<Target> order = new ArrayList<>(targets.values());
        for (int round = 0; round < settings.rounds; round++)
        {
            for (int i = 0; i < order.size(); i++)
            {
                final Target target = order.get((i + round) % order.size());
                final Measurement closed = measureOne(target, load(settings, target, "closed", 0, settings.durationMillis));
                report.addClosed(target.name(), closed);
                out.printf(Locale.ROOT, "compare: round %d closed %-18s %,10.0f requests/s  CPU %.2f, waited %.2f (generator %.2f)%n",
                    round + 1, target.name(), closed.result().requestsPerSecond(), closed.cpuCores(), closed.waitCores(),
                    closed.generatorCores());
            }
        }
        for (int round = 0; round < settings.rounds; round++)
        {
            for (int i = 0; i < order.size(); i++)
            {
                final Target target = order.get((i + round) % order.size());
                final int rate = settings.openRate > 0 ? settings.openRate : (int)Math.max(1, report.maxRate(target.name()) / 2);
                final Measurement open = measureOne(target, load(settings, target, "open", rate, settings.openDurationMillis));
                report.addOpen(target.name(), open);
                out.printf(Locale.ROOT, "compare: round %d open   %-18s at %,d/s: p50 %.3f p99 %.3f p99.9 %.3f max %.3f ms" +
                    "  CPU %.2f, waited %.2f (generator %.2f)%n", round + 1, target.name(), rate,
                    open.result().latencyMillis(50), open.result().latencyMillis(99), open.result().latencyMillis(99.9),
                    open.result().maxLatencyMillis(), open.cpuCores(), open.waitCores(), open.generatorCores());
            }
        }
        return report;
    }

    private static Measurement measureOne(final Target target, final LoadOptions options)
    {
        target.awaitIdle(20_000);
        final long self = ProcessHandle.current().pid();
        final double cpuBefore = target.cpuSeconds();
        final double waitBefore = target.waitSeconds();
        final double generatorBefore = ProcessCpu.ownSeconds(self);
        final long start = System.nanoTime();
        final LoadResult result = LoadGenerator.run(options);
        final double seconds = (System.nanoTime() - start) / 1e9;
        return new Measurement(result, (target.cpuSeconds() - cpuBefore) / seconds,
            (target.waitSeconds() - waitBefore) / seconds, (ProcessCpu.ownSeconds(self) - generatorBefore) / seconds);
    }

    private static LoadOptions load(final CompareSettings settings, final Target target, final String mode, final int rate,
        final long durationMillis)
    {
        final List<String> args = new ArrayList<>(List.of("--url", target.url(), "--mode", mode,
            "--connections", Integer.toString(settings.connections), "--duration", durationMillis + "ms",
            "--site", settings.site, "--source", "xff", "--clients", "4096", "--warmup", MEASUREMENT_WARMUP));
        if (rate > 0)
        {
            args.addAll(List.of("--rate", Integer.toString(rate)));
        }
        return LoadOptions.parse(args);
    }

    private static Map<String, Target> targets(final CompareSettings settings, final Path work, final Path shm)
    {
        final Map<String, Target> targets = new LinkedHashMap<>();
        int port = settings.port;
        for (final String name : settings.targets)
        {
            final Path log = work.resolve(name + ".log");
            switch (name)
            {
                case CEILING:
                case CEILING_MAPPED:
                case CEILING_JOURNAL:
                case CEILING_JOURNAL_READ:
                    targets.put(name, ceiling(settings, work, name, port, log));
                    break;
                case NGINX:
                    targets.put(name, new Target(name, port, List.of(Nginx.BINARY.toString(), "-c",
                        Nginx.configure(work.resolve(name), port, settings.ioThreads).toString(), "-p", work.resolve(name).toString()), Map.of(), log));
                    break;
                default:
                    targets.put(name, tally(settings, dataDir(work, shm, name), work, name, port, log));
                    break;
            }
            port++;
        }
        return targets;
    }

    private static Target ceiling(final CompareSettings settings, final Path work, final String name, final int port,
        final Path log)
    {
        final boolean journal = CEILING_JOURNAL.equals(name) || CEILING_JOURNAL_READ.equals(name);
        final List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmOptions(settings.root)); // Chronicle Queue's, and every variant runs with the same
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tally.bench.BenchMain", "null-server",
            "--port", Integer.toString(port), "--threads", Integer.toString(settings.ioThreads)));
        if (CEILING_MAPPED.equals(name))
        {
            command.addAll(List.of("--mapped-records", work.resolve(name + ".records").toString()));
        }
        if (journal)
        {
            command.addAll(List.of("--journal-records", work.resolve(name + "-data").toString(), "--journal-tailers",
                CEILING_JOURNAL_READ.equals(name) ? "1" : "0"));
        }
        return new Target(name, port, command, Map.of(), log);
    }

    /** The JVM flags every Tally process needs (the repository's {@code jvm.options}, comments left out). */
    private static List<String> jvmOptions(final Path root)
    {
        try
        {
            return Files.readAllLines(root.resolve("jvm.options")).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A Tally target's data dir: in the work dir, or split between it and tmpfs with the journal directory a symbolic
     * link to the other side (to tell the journal's writes to the disk from the rest's).
     */
    private static Path dataDir(final Path work, final Path shm, final String name)
    {
        final boolean split = TALLY_JOURNAL_SHM.equals(name) || TALLY_REST_SHM.equals(name);
        final Path data = (TALLY_REST_SHM.equals(name) ? shm : work).resolve(name + "-data");
        if (!split)
        {
            return data;
        }
        try
        {
            final Path journal = Files.createDirectories((TALLY_JOURNAL_SHM.equals(name) ? shm : work).resolve(name + "-journal"));
            Files.createSymbolicLink(Files.createDirectories(data).resolve("journal"), journal);
            return data;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Target tally(final CompareSettings settings, final Path dataDir, final Path work, final String name,
        final int port, final Path log)
    {
        final Path config = work.resolve(name + ".json");
        try
        {
            Files.writeString(config, CompareGoals.config(settings.site));
            if (settings.jfrDir != null)
            {
                Files.createDirectories(settings.jfrDir);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final String limit = TALLY_NO_LIMIT.equals(name) ? "0" : "1000000";
        return new Target(name, port, List.of(settings.root.resolve("tally").toString(), "serve", "--host", "127.0.0.1",
            "--port", Integer.toString(port), "--data-dir", dataDir.toString(), "--config", config.toString(),
            "--io-threads", Integer.toString(settings.ioThreads), "--trusted-proxies", "127.0.0.1", "--admin-token", "compare",
            "--ingest-rate-limit", limit, "--ingest-burst", limit,
            "--journal-pretouch", Boolean.toString(!TALLY_NO_PRETOUCH.equals(name))), settings.jfrDir == null ? Map.of() :
            Map.of("TALLY_JAVA_OPTS", "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" +
                settings.jfrDir.resolve(name + ".jfr")), log, "\"ready\":true");
    }

    private static String javaBinary()
    {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static Path createWorkDir(final Path parent)
    {
        try
        {
            return Files.createTempDirectory(Files.createDirectories(parent), "tally-compare");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public static void printHelp(final PrintStream out)
    {
        out.println("tally bench compare [flags]   (about 6 minutes with the defaults)");
        out.println("  --rounds N             alternating rounds of each measurement (3)");
        out.println("  --duration T           each closed-mode (maximum rate) measurement (10s)");
        out.println("  --open-duration T      each open-mode measurement at half the maximum (10s)");
        out.println("  --open-rate R          the open-mode rate for every server instead of half its maximum (an A/B at one");
        out.println("                         load; 0: half of each one's maximum)");
        out.println("  --warmup T             closed-mode load on each server before the rounds (5s)");
        out.println("  --connections N        keep-alive connections (128)");
        out.println("  --targets LIST         " + String.join(",", ALL_TARGETS) + " (all); also " + CEILING_MAPPED + ": the");
        out.println("                         ceiling writing 264 bytes a request through a memory-mapped file, as a journal;");
        out.println("                         " + CEILING_JOURNAL + ": the ceiling appending 264 bytes a request to Tally's journal;");
        out.println("                         " + CEILING_JOURNAL_READ + ": the same with a thread reading the journal behind;");
        out.println("                         " + TALLY_JOURNAL_SHM + ", " + TALLY_REST_SHM + ": Tally with its journal on /dev/shm and the");
        out.println("                         rest of its data on the work dir, or the other way round;");
        out.println("                         " + TALLY_NO_PRETOUCH + ": Tally with --journal-pretouch false");
        out.println("  --server-cpu C         CPU list the servers are pinned to (0)");
        out.println("  --client-cpu C         CPU list the generator is pinned to (1)");
        out.println("  --io-threads N         I/O threads of each Netty server, worker processes of nginx (1); with");
        out.println("                         --server-cpu 0,1 --client-cpu 0,1 --io-threads 2: the default configuration, unpinned");
        out.println("  --port P               first of the servers' loopback ports (18480)");
        out.println("  --site DOMAIN          Tally's site and the beacons' (shop.example)");
        out.println("  --write yes|no         write the result into BENCHMARKS.md (yes)");
        out.println("  --work-dir DIR         where the servers' data, logs and journals go (java.io.tmpdir, usually /tmp);");
        out.println("                         /dev/shm keeps Tally's journal off the disk");
        out.println("  --jfr DIR              record the Tally targets with JFR (settings=profile) into DIR/NAME.jfr;");
        out.println("                         read with ./tally bench jfr-top DIR/tally.jfr");
    }

    /**
     * One measured load run; the CPU the target used, the time its threads waited for a CPU while ready (other
     * work on its core), and the CPU the generator used, each per second of the run.
     */
    record Measurement(LoadResult result, double cpuCores, double waitCores, double generatorCores)
    {
    }

    /** The harness's settings, checked. */
    static final class CompareSettings
    {
        final int rounds;
        final long durationMillis;
        final long openDurationMillis;
        /** The open-mode rate for every server (an A/B of two builds at the same load); 0: half each one's maximum. */
        final int openRate;
        final long warmupMillis;
        final int connections;
        final List<String> targets;
        final String serverCpu;
        final String clientCpu;
        /** I/O threads of each Netty server and worker processes of nginx. */
        final int ioThreads;
        final int port;
        final boolean write;
        final String site;
        final Path root;
        final String commandLine;
        final Path jfrDir;
        final Path workParent;

        CompareSettings(final Flags flags, final List<String> args)
        {
            this.rounds = (int)flags.number("rounds", 3, 1, 100);
            this.durationMillis = flags.millis("duration", 10_000, 1_000, 600_000);
            this.openDurationMillis = flags.millis("open-duration", 10_000, 1_000, 600_000);
            this.openRate = (int)flags.number("open-rate", 0, 0, io.tally.bench.load.LoadOptions.MAX_RATE);
            this.warmupMillis = flags.millis("warmup", 5_000, 100, 600_000);
            this.connections = (int)flags.number("connections", 128, 1, LoadOptions.MAX_CONNECTIONS);
            this.targets = List.of(flags.string("targets", String.join(",", ALL_TARGETS)).split(","));
            for (final String target : targets)
            {
                if (!KNOWN_TARGETS.contains(target))
                {
                    throw new IllegalArgumentException("--targets: unknown target " + target + "; known: " + KNOWN_TARGETS);
                }
            }
            this.serverCpu = flags.string("server-cpu", "0");
            this.clientCpu = flags.string("client-cpu", "1");
            this.ioThreads = (int)flags.number("io-threads", 1, 1, 64);
            this.port = (int)flags.number("port", 18480, 1024, 65535 - KNOWN_TARGETS.size());
            this.write = "yes".equals(flags.string("write", "yes"));
            this.site = flags.string("site", "shop.example");
            this.root = Path.of(System.getProperty("tally.root", ".")).toAbsolutePath().normalize();
            this.commandLine = ("./tally bench compare " + String.join(" ", args)).trim();
            this.workParent = Path.of(flags.string("work-dir", System.getProperty("java.io.tmpdir"))).toAbsolutePath();
            this.jfrDir = flags.string("jfr", null) == null ? null : Path.of(flags.string("jfr", null)).toAbsolutePath();
        }
    }
}
