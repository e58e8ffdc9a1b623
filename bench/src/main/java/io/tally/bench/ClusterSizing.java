package io.tally.bench;

import io.tally.bench.load.LoadGenerator;
import io.tally.bench.load.LoadOptions;
import io.tally.bench.load.LoadResult;
import io.tally.codec.json.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code tally bench cluster}: sizes a running cluster from outside, through one ingest node and the workers:
 * <ol>
 * <li>the node's maximum events/s (closed loop, {@code bench load}'s generator) with forwarding on;</li>
 * <li>the workers' counting rate while they catch up with what step 1 left behind (all workers together);</li>
 * <li>at half that maximum (open loop), the delay from an event's 202 to its being in a worker's figures (the stats
 * API reads the rollups as the worker counts): the node's count of 202 answers and the workers' counted records are
 * sampled every few milliseconds, and the n-th event answered is taken as the n-th counted (one node sends in
 * journal order). p50 and p99, to the sampling's resolution.</li>
 * </ol>
 * With {@code --plain HOST:PORT} (a node started with the same flags but no {@code --kafka-bootstrap}), step 1
 * alternates rounds between that node and the forwarding one, so forwarding's cost is read as a ratio of rounds in
 * the same minutes. Each round also gives the node's CPU per event accepted, and steps 1 and 2 the workers' CPU per
 * event counted, from the processes' own {@code process_cpu_seconds_total} in {@code /metrics}: on a machine too
 * small to give the generator, the broker and the workers cores of their own, the rate a node reaches is the
 * generator's as much as the node's, and its CPU per event is the figure that sizes it. Needs a quiet
 * machine (figures on a shared one are not sizing figures), a node with {@code --ingest-rate-limit 0} and
 * {@code --trusted-proxies 127.0.0.1/32}, and workers that have just started on an empty group.
 */
final class ClusterSizing
{
    private static final Set<String> FLAGS = Set.of("node", "workers", "duration", "connections", "site", "sample", "plain",
        "rounds");

    private static final String CPU_SECONDS = "process_cpu_seconds_total ";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String node;
    private final List<String> workers;
    private final long durationMillis;
    private final long connections;
    private final String site;
    private final long sampleMillis;
    /** A node without forwarding, for step 1's alternating rounds; null for none. */
    private final String plain;
    private final long rounds;

    private ClusterSizing(final Flags flags)
    {
        node = flags.string("node", null);
        final String workerList = flags.string("workers", null);
        if (node == null || workerList == null)
        {
            throw new IllegalArgumentException("--node HOST:PORT and --workers HOST:PORT,... are required");
        }
        workers = Arrays.stream(workerList.split(",")).map(String::trim).filter(w -> !w.isEmpty()).toList();
        durationMillis = flags.millis("duration", 20_000, 1_000, 3_600_000);
        connections = flags.number("connections", 64, 1, LoadOptions.MAX_CONNECTIONS);
        site = flags.string("site", "localhost");
        sampleMillis = flags.millis("sample", 5, 1, 1_000);
        plain = flags.string("plain", null);
        rounds = flags.number("rounds", 2, 1, 20);
    }

    static void printHelp(final PrintStream out)
    {
        out.println("tally bench cluster --node HOST:PORT --workers HOST:PORT,... [flags]   (a quiet machine)");
        out.println("  --duration D      of each loaded step (20s)");
        out.println("  --connections N   of the load generator (64)");
        out.println("  --site S          the site the events are for (localhost)");
        out.println("  --sample D        how often the node and workers are read in step 3 (5ms): the delay's resolution");
        out.println("  --plain HOST:PORT a node with the same flags but no --kafka-bootstrap: step 1 alternates with it");
        out.println("  --rounds N        step 1's rounds on each node (2)");
    }

    static int run(final List<String> args, final PrintStream out)
    {
        final Flags flags = new Flags(args, FLAGS);
        if (flags.wantsHelp())
        {
            printHelp(out);
            return 0;
        }
        try
        {
            new ClusterSizing(flags).size(out);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException("reading the cluster's /healthz: " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 1;
        }
        return 0;
    }

    private void size(final PrintStream out) throws IOException, InterruptedException
    {
        awaitQuiet();
        final long countedBefore = counted();
        final double workersCpuBefore = workersCpuSeconds();
        LoadResult max = null;
        for (int round = 1; round <= rounds; round++)
        {
            if (plain != null)
            {
                maximum(out, round, plain, "forwarding off");
            }
            final LoadResult forwarding = maximum(out, round, node, "forwarding on");
            max = max == null || forwarding.requestsPerSecond() > max.requestsPerSecond() ? forwarding : max;
        }
        final long catchUpStart = System.nanoTime();
        final long countedAtEnd = counted();
        awaitQuiet();
        final double catchUpSeconds = (System.nanoTime() - catchUpStart) / 1e9;
        final long caughtUp = counted() - countedAtEnd;
        out.printf(Locale.ROOT, "workers (%d) counting a backlog: %s%n", workers.size(), caughtUp < 1000 ? "kept up with the node" :
            String.format(Locale.ROOT, "%.0f events/s (%d events in %.1f s)", caughtUp / catchUpSeconds, caughtUp, catchUpSeconds));
        final long countedInStep1 = counted() - countedBefore;
        final double workerMicros = (workersCpuSeconds() - workersCpuBefore) * 1e6 / Math.max(1, countedInStep1);
        out.printf(Locale.ROOT, "events counted in step 1: %d; the workers' CPU per event counted %.1f µs (%.0f events/s a " +
            "worker core)%n", countedInStep1, workerMicros, 1e6 / workerMicros);
        final int half = (int)Math.max(1, max.requestsPerSecond() / 2);
        final List<long[]> samples = new ArrayList<>();
        final long acceptedBase = accepted(node);
        final long countedBase = counted();
        final long start = System.nanoTime();
        final CompletableFuture<LoadResult> halfLoad = CompletableFuture.supplyAsync(() ->
            LoadGenerator.run(LoadOptions.parse(load(node, "open", half))));
        while (!halfLoad.isDone() || counted() - countedBase < accepted(node) - acceptedBase)
        {
            samples.add(new long[] {System.nanoTime() - start, accepted(node) - acceptedBase, counted() - countedBase});
            TimeUnit.MILLISECONDS.sleep(sampleMillis);
            if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(durationMillis) * 3)
            {
                break;
            }
        }
        final LoadResult halfResult = halfLoad.join();
        final long[] delays = delays(samples);
        // reading the node and the workers takes time too: the resolution is the samples' real spacing
        final double spacingMillis = samples.size() < 2 ? 0 :
            (samples.get(samples.size() - 1)[0] - samples.get(0)[0]) / 1e6 / (samples.size() - 1);
        out.printf(Locale.ROOT, "at half load (%d events/s asked, %.0f answered/s): 202 to figure p50 %.1f ms, p99 %.1f ms " +
            "(%d events; samples %.1f ms apart, so 0 is less than that)%n", half, halfResult.requestsPerSecond(),
            percentile(delays, 50) / 1e6, percentile(delays, 99) / 1e6, delays.length, spacingMillis);
    }

    /** One closed-loop round against {@code target}: its requests/s, events accepted/s and CPU per event accepted. */
    private LoadResult maximum(final PrintStream out, final int round, final String target, final String what)
        throws IOException, InterruptedException
    {
        final long acceptedBefore = accepted(target);
        final double cpuBefore = cpuSeconds(target);
        final LoadResult max = LoadGenerator.run(LoadOptions.parse(load(target, "closed", 0)));
        if (target.equals(node))
        {
            awaitForwarded(); // the forwarding of the round's events is the round's CPU, not the next round's
        }
        final long acceptedInRound = accepted(target) - acceptedBefore;
        final double micros = (cpuSeconds(target) - cpuBefore) * 1e6 / Math.max(1, acceptedInRound);
        out.printf(Locale.ROOT, "round %d, ingest node, %s: %.0f requests/s, %.0f events/s accepted, node CPU %.1f µs an " +
            "event accepted (closed loop, %d connections, %.1f s; the generator's mix includes bad beacons)%n", round, what,
            max.requestsPerSecond(), acceptedInRound / max.measuredSeconds(), micros, connections, max.measuredSeconds());
        return max;
    }

    private List<String> load(final String target, final String mode, final int rate)
    {
        final List<String> args = new ArrayList<>(List.of("--url", "http://" + target + "/api/event", "--mode", mode,
            "--connections", Long.toString(connections), "--duration", durationMillis + "ms", "--site", site));
        if (rate > 0)
        {
            args.addAll(List.of("--rate", Integer.toString(rate)));
        }
        return args;
    }

    /** For each event answered, how long after the sample that saw its 202 the sample that saw it counted came. */
    static long[] delays(final List<long[]> samples)
    {
        final long total = samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[1];
        final long[] delays = new long[(int)Math.min(total, samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[2])];
        int accepted = 0;
        int counted = 0;
        for (int n = 1; n <= delays.length; n++)
        {
            while (samples.get(accepted)[1] < n)
            {
                accepted++;
            }
            while (samples.get(counted)[2] < n)
            {
                counted++;
            }
            delays[n - 1] = Math.max(0, samples.get(counted)[0] - samples.get(accepted)[0]);
        }
        Arrays.sort(delays);
        return delays;
    }

    static double percentile(final long[] sorted, final double percentile)
    {
        return sorted.length == 0 ? 0 : sorted[(int)Math.min(sorted.length - 1, Math.ceil(percentile / 100 * sorted.length) - 1)];
    }

    /** Waits until the node has forwarded everything it journaled. */
    private void awaitForwarded() throws IOException, InterruptedException
    {
        while (((Number)section(health(node), "forwarding").get("lag_records")).longValue() > 0)
        {
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Waits until the node has forwarded everything and the workers' counts stand still. */
    private void awaitQuiet() throws IOException, InterruptedException
    {
        long last = -1;
        while (true)
        {
            final long lag = ((Number)section(health(node), "forwarding").get("lag_records")).longValue();
            final long counted = counted();
            if (lag == 0 && counted == last)
            {
                return;
            }
            last = counted;
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** Events the node answered 202 (accepted) since it started. */
    private long accepted(final String target) throws IOException, InterruptedException
    {
        final Object count = section(health(target), "answers").get("accepted");
        return count == null ? 0 : ((Number)count).longValue();
    }

    /** Records the workers counted since they started. */
    private long counted() throws IOException, InterruptedException
    {
        long total = 0;
        for (final String worker : workers)
        {
            total += ((Number)section(health(worker), "worker").get("counted_records")).longValue();
        }
        return total;
    }

    private double workersCpuSeconds() throws IOException, InterruptedException
    {
        double total = 0;
        for (final String worker : workers)
        {
            total += cpuSeconds(worker);
        }
        return total;
    }

    /** The process's CPU time so far, user and system, as its {@code /metrics} says (loopback may read it by default). */
    private double cpuSeconds(final String hostPort) throws IOException, InterruptedException
    {
        for (final String line : (Iterable<String>)get(hostPort, "/metrics").lines()::iterator)
        {
            if (line.startsWith(CPU_SECONDS))
            {
                return Double.parseDouble(line.substring(CPU_SECONDS.length()).trim());
            }
        }
        throw new IllegalStateException(hostPort + "/metrics has no " + CPU_SECONDS.trim() + ": is it Tally's, and may this " +
            "address read it (--metrics-allow)?");
    }

    private Map<String, Object> health(final String hostPort) throws IOException, InterruptedException
    {
        return Json.parseObject(get(hostPort, "/healthz"));
    }

    private String get(final String hostPort, final String path) throws IOException, InterruptedException
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + path)).timeout(Duration.ofSeconds(10))
            .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(final Map<String, Object> health, final String name)
    {
        final Object section = health.get(name);
        if (!(section instanceof Map))
        {
            throw new IllegalStateException("/healthz has no " + name + " section: is this a node with --kafka-bootstrap " +
                "and are these workers?");
        }
        return (Map<String, Object>)section;
    }
}
