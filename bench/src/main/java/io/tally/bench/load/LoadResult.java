package io.tally.bench.load;

import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.Map;

/**
 * What one load run measured: answers in the measured window by HTTP status, their latencies (from the
 * intended send time in open mode), and everything that went wrong on the generator's side.
 */
public final class LoadResult
{
    /** Latencies in microseconds, up to two minutes, three significant digits. */
    static final long HIGHEST_MICROS = 120_000_000L;

    final Histogram latencies = new Histogram(HIGHEST_MICROS, 3);
    final long[] statuses = new long[600];
    long measuredNanos;
    long sent;
    long timeouts;
    long connectFailures;
    long closedInFlight;
    long badResponses;
    long unsent;
    LoadOptions options;
    /** CPU seconds by thread name of the server given with --server-pid, over the measured window; empty without. */
    Map<String, Double> serverThreadSeconds = Map.of();

    void add(final LoadResult other)
    {
        latencies.add(other.latencies);
        for (int i = 0; i < statuses.length; i++)
        {
            statuses[i] += other.statuses[i];
        }
        sent += other.sent;
        timeouts += other.timeouts;
        connectFailures += other.connectFailures;
        closedInFlight += other.closedInFlight;
        badResponses += other.badResponses;
        unsent += other.unsent;
    }

    /** Answers received in the measured window. */
    public long answered()
    {
        long total = 0;
        for (final long count : statuses)
        {
            total += count;
        }
        return total;
    }

    public long status(final int code)
    {
        return statuses[code];
    }

    public double requestsPerSecond()
    {
        return measuredNanos == 0 ? 0 : answered() * 1e9 / measuredNanos;
    }

    /** The latency at {@code percentile} (0 to 100) in milliseconds. */
    public double latencyMillis(final double percentile)
    {
        return latencies.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxLatencyMillis()
    {
        return latencies.getMaxValue() / 1000.0;
    }

    public long sent()
    {
        return sent;
    }

    public long timeouts()
    {
        return timeouts;
    }

    /** Generator-side failures: timeouts, connections refused or closed with a request in flight, bad answers. */
    public long errors()
    {
        return timeouts + connectFailures + closedInFlight + badResponses;
    }

    /** Open mode: requests that fell due but were never sent (queue full, or due when the run stopped). */
    public long unsent()
    {
        return unsent;
    }

    public double measuredSeconds()
    {
        return measuredNanos / 1e9;
    }

    /** A few lines for a terminal. */
    public String format()
    {
        final StringBuilder out = new StringBuilder(512);
        out.append(String.format(Locale.ROOT, "%s mode%s, %d connections, %s, %.1f s measured%n",
            options.mode.name().toLowerCase(Locale.ROOT),
            options.mode == LoadOptions.Mode.OPEN ? " at " + options.rate + " requests/s" : "",
            options.connections, options.target, measuredSeconds()));
        out.append(String.format(Locale.ROOT, "requests/s %.0f   answered %d   sent %d (warm-up included)%n",
            requestsPerSecond(), answered(), sent));
        out.append("answers by status:");
        for (int code = 0; code < statuses.length; code++)
        {
            if (statuses[code] != 0)
            {
                out.append(' ').append(code == 0 ? "other" : Integer.toString(code)).append('=').append(statuses[code]);
            }
        }
        out.append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "latency ms%s: p50 %.3f   p99 %.3f   p99.9 %.3f   max %.3f%n",
            options.mode == LoadOptions.Mode.OPEN ? " (from intended send time)" : "",
            latencyMillis(50), latencyMillis(99), latencyMillis(99.9), maxLatencyMillis()));
        out.append(String.format(Locale.ROOT, "errors: timeouts %d, connect failures %d, closed in flight %d, " +
            "bad answers %d, unsent %d%n", timeouts, connectFailures, closedInFlight, badResponses, unsent));
        if (!serverThreadSeconds.isEmpty())
        {
            out.append("server CPU s by thread:");
            serverThreadSeconds.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .filter(thread -> thread.getValue() > 0)
                .forEach(thread -> out.append(String.format(Locale.ROOT, " %s=%.2f", thread.getKey(), thread.getValue())));
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
