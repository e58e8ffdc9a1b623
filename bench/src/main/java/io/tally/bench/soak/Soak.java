package io.tally.bench.soak;

import io.tally.bench.Flags;
import io.tally.bench.TempDirs;
import io.tally.bench.compare.CompareGoals;
import io.tally.bench.compare.Machine;
import io.tally.bench.compare.ProcessCpu;
import io.tally.bench.compare.Processes;
import io.tally.bench.compare.Target;
import io.tally.bench.load.LoadGenerator;
import io.tally.bench.load.LoadOptions;
import io.tally.bench.load.LoadResult;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./tally bench soak}: Tally for minutes at half its maximum, watched from outside for growth. The engine
 * runs as a child process pinned to one CPU (as in {@code compare}), with 100 goals; this JVM, pinned to the
 * other, drives it with the load generator in open loop, sends admin API stats queries and goal changes, and
 * every interval samples the engine's heap (its {@code /metrics}), RSS, threads and open files ({@code /proc}).
 * Prints the samples as a table, the load's result, and a verdict per figure.
 */
public final class Soak
{
    static final String ADMIN_TOKEN = "soak-admin-token";
    /** The maximum rate is measured after this much closed-loop load, for this long (as compare does). */
    private static final String MAX_WARMUP = "5s";
    private static final String MAX_DURATION = "10s";

    private Soak()
    {
    }

    public static int run(final List<String> args, final PrintStream out)
    {
        final Flags flags = new Flags(args, SoakSettings.FLAGS);
        if (flags.wantsHelp())
        {
            SoakSettings.printHelp(out);
            return 0;
        }
        final SoakSettings settings = new SoakSettings(flags, args);
        final String machine = Machine.basics();
        final String loadBefore = Machine.loadAverage();
        final Instant started = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Processes.pinThisProcess(settings.clientCpu);
        final Path work = createWorkDir(settings.workParent);
        final Target engine = engine(settings, work);
        boolean deleteWorkDir = false;
        try
        {
            out.println("soak: starting Tally on CPU " + settings.serverCpu + " (log: " + work.resolve("tally.log") + ")");
            engine.start(settings.serverCpu);
            final int rate = settings.rate > 0 ? settings.rate : halfTheMaximum(settings, engine, out);
            if (settings.warmupMillis > 0)
            {
                out.printf(Locale.ROOT, "soak: warming up at %,d requests/s for %d s%n", rate, settings.warmupMillis / 1000);
                LoadGenerator.run(load(settings, engine, "open", rate, settings.warmupMillis));
            }
            out.printf(Locale.ROOT, "soak: %,d requests/s for %d s, %d admin requests/s, a sample every %d s%n", rate,
                settings.durationMillis / 1000, settings.adminRate, settings.intervalMillis / 1000);
            final String base = engine.url().replace("/api/event", "");
            final AtomicReference<LoadResult> result = new AtomicReference<>();
            final List<SoakSample> samples;
            String adminSummary = "admin API: none";
            try (AdminMix admin = settings.adminRate == 0 ? null : new AdminMix(base, settings.site, ADMIN_TOKEN,
                settings.adminRate, 1))
            {
                if (admin != null)
                {
                    admin.start();
                }
                final Thread load = new Thread(() -> result.set(LoadGenerator.run(load(settings, engine, "open", rate,
                    settings.durationMillis))), "soak-load");
                load.start();
                samples = sampleWhileRunning(load, engine.pid(), base, settings.intervalMillis, out);
                if (admin != null)
                {
                    admin.close();
                    adminSummary = admin.summary();
                }
            }
            final List<SoakVerdict.Figure> figures = SoakVerdict.judge(samples);
            out.println();
            out.println(report(settings, machine, loadBefore, started, rate, result.get(), adminSummary, samples, figures));
            deleteWorkDir = true;
            return 0;
        }
        finally
        {
            engine.close();
            if (deleteWorkDir)
            {
                TempDirs.delete(work);
            }
            else
            {
                out.println("soak: the engine's log and data are in " + work);
            }
        }
    }

    public static void printHelp(final PrintStream out)
    {
        SoakSettings.printHelp(out);
    }

    /** Tally as {@code compare} runs it (one I/O thread, 100 goals, limiter on with limits no client reaches). */
    private static Target engine(final SoakSettings settings, final Path work)
    {
        final Path config = work.resolve("tally.json");
        try
        {
            Files.writeString(config, CompareGoals.config(settings.site));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Path root = Path.of(System.getProperty("tally.root", ".")).toAbsolutePath().normalize();
        return new Target("tally", settings.port, List.of(root.resolve("tally").toString(), "serve", "--host", "127.0.0.1",
            "--port", Integer.toString(settings.port), "--data-dir", work.resolve("data").toString(), "--config",
            config.toString(), "--io-threads", "1", "--trusted-proxies", "127.0.0.1", "--admin-token", ADMIN_TOKEN,
            "--ingest-rate-limit", "1000000", "--ingest-burst", "1000000"), Map.of(), work.resolve("tally.log"));
    }

    private static int halfTheMaximum(final SoakSettings settings, final Target engine, final PrintStream out)
    {
        out.println("soak: measuring the maximum rate (closed loop, " + MAX_WARMUP + " warm-up, " + MAX_DURATION + ")");
        final List<String> args = new ArrayList<>(loadArgs(settings, engine, "closed"));
        args.addAll(List.of("--warmup", MAX_WARMUP, "--duration", MAX_DURATION));
        final LoadResult max = LoadGenerator.run(LoadOptions.parse(args));
        out.printf(Locale.ROOT, "soak: maximum %,.0f requests/s%n", max.requestsPerSecond());
        return (int)Math.max(1, max.requestsPerSecond() / 2);
    }

    private static LoadOptions load(final SoakSettings settings, final Target engine, final String mode, final int rate,
        final long durationMillis)
    {
        final List<String> args = new ArrayList<>(loadArgs(settings, engine, mode));
        args.addAll(List.of("--rate", Integer.toString(rate), "--duration", durationMillis + "ms"));
        return LoadOptions.parse(args);
    }

    /** The comparison's load: the BEACON.md mix from 4,096 X-Forwarded-For addresses. */
    private static List<String> loadArgs(final SoakSettings settings, final Target engine, final String mode)
    {
        return List.of("--url", engine.url(), "--mode", mode, "--connections", Integer.toString(settings.connections),
            "--site", settings.site, "--source", "xff", "--clients", "4096");
    }

    /** A sample at 0, every interval while the load runs, and one when it has ended. */
    private static List<SoakSample> sampleWhileRunning(final Thread load, final long pid, final String base,
        final long intervalMillis, final PrintStream out)
    {
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final List<SoakSample> samples = new ArrayList<>();
        final long start = System.nanoTime();
        try
        {
            for (long due = start; load.isAlive(); due += TimeUnit.MILLISECONDS.toNanos(intervalMillis))
            {
                load.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime())));
                if (load.isAlive() || samples.isEmpty())
                {
                    samples.add(sample(client, pid, base, start, false, out));
                }
            }
            samples.add(sample(client, pid, base, start, true, out));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        return samples;
    }

    private static SoakSample sample(final HttpClient client, final long pid, final String base, final long start,
        final boolean loadOver, final PrintStream out)
    {
        final String scrape;
        try
        {
            scrape = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the engine's /metrics", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        final SoakSample sample = new SoakSample(Math.round((System.nanoTime() - start) / 1e9), EngineMetricsText.parse(scrape),
            ProcessSample.of(pid), ProcessCpu.seconds(pid), ProcessCpu.waitSeconds(pid), loadOver);
        out.printf(Locale.ROOT, "soak: %4d s  heap %4d MB  RSS %,6d MB  open files %4d  threads %3d  journal %,d%n",
            sample.seconds(), sample.metrics().heapUsedBytes() >> 20, sample.process().rssKb() >> 10,
            sample.process().openFiles(), sample.process().threads(), sample.metrics().journalAppends());
        return sample;
    }

    static String report(final SoakSettings settings, final String machine, final String loadBefore, final Instant started,
        final int rate, final LoadResult result, final String adminSummary, final List<SoakSample> samples,
        final List<SoakVerdict.Figure> figures)
    {
        final StringBuilder out = new StringBuilder(8192);
        out.append("Command: `").append(settings.commandLine).append("`: Tally (100 goals, one I/O thread) pinned to CPU ")
            .append(settings.serverCpu).append(", the load generator, sampling and admin client pinned to CPU ")
            .append(settings.clientCpu).append(String.format(Locale.ROOT, "; %,d requests/s open loop for %d s over %d connections, ",
                rate, settings.durationMillis / 1000, settings.connections))
            .append(settings.adminRate).append(" admin API requests/s; data dir under ").append(settings.workParent).append(" (")
            .append(Machine.fileSystemOf(settings.workParent)).append(").\n\nMachine: ").append(machine).append("; started ")
            .append(started).append("; load average before ").append(loadBefore).append(", after ").append(Machine.loadAverage())
            .append(".\n\n");
        out.append(SoakTable.markdown(samples)).append('\n');
        out.append("Verdict (each figure's lowest reading in the first minute against the last): ")
            .append(SoakVerdict.overall(figures)).append("\n\n```\n");
        figures.forEach(figure -> out.append(figure.describe()).append('\n'));
        out.append("```\n\nLoad and admin API:\n\n```\n").append(result == null ? "no result\n" : result.format())
            .append(adminSummary).append("\n```\n");
        return out.toString();
    }

    private static Path createWorkDir(final Path parent)
    {
        try
        {
            return Files.createTempDirectory(Files.createDirectories(parent), "tally-soak");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
