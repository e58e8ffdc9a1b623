package io.tally.bench.compare;

import io.tally.bench.load.LoadResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The comparison's measurements per server, and the Markdown table and ratios made of them. */
final class CompareReport
{
    static final String BEGIN = "<!-- bench compare: begin (written by ./tally bench compare) -->";
    static final String END = "<!-- bench compare: end -->";
    private static final Map<String, String> LABELS = Map.of(
        Compare.CEILING, "do-nothing Netty (ceiling)",
        Compare.NGINX, "nginx + echo, body to access log",
        Compare.TALLY, "Tally, 100 goals, limiter on",
        Compare.TALLY_NO_LIMIT, "Tally, 100 goals, limiter off");

    private final List<String> targets;
    private final Map<String, List<Compare.Measurement>> closed = new HashMap<>();
    private final Map<String, List<Compare.Measurement>> open = new HashMap<>();

    CompareReport(final List<String> targets)
    {
        this.targets = targets;
    }

    void addClosed(final String target, final Compare.Measurement measurement)
    {
        closed.computeIfAbsent(target, k -> new ArrayList<>()).add(measurement);
    }

    void addOpen(final String target, final Compare.Measurement measurement)
    {
        open.computeIfAbsent(target, k -> new ArrayList<>()).add(measurement);
    }

    /** The median of the target's closed-mode rates: its maximum. */
    double maxRate(final String target)
    {
        final List<Compare.Measurement> runs = new ArrayList<>(closed.get(target));
        runs.sort((a, b) -> Double.compare(a.result().requestsPerSecond(), b.result().requestsPerSecond()));
        return runs.get(runs.size() / 2).result().requestsPerSecond();
    }

    String markdown(final Compare.CompareSettings settings, final String machine)
    {
        final StringBuilder out = new StringBuilder(4096);
        out.append("Command: `").append(settings.commandLine).append("`; ").append(settings.rounds)
            .append(" alternating rounds of ").append(settings.durationMillis / 1000).append(" s closed and ")
            .append(settings.openDurationMillis / 1000).append(" s open per server, ").append(settings.connections)
            .append(" keep-alive connections, the BEACON.md mix from 4,096 `X-Forwarded-For` addresses. Servers pinned to CPU ")
            .append(settings.serverCpu).append(" (one I/O thread or worker each), the generator to CPU ").append(settings.clientCpu)
            .append(".\n\nMachine: ").append(machine).append("\n\n");
        out.append("| server | max requests/s (median; min-max) | CPU at max (cores) | CPU µs/request | " +
            "latency at 50% of max: p50 / p99 / p99.9 / max ms | answers at max | generator errors |\n");
        out.append("|---|--:|--:|--:|--:|---|--:|\n");
        for (final String target : targets)
        {
            row(out, target);
        }
        out.append('\n');
        ratio(out, Compare.TALLY, Compare.CEILING);
        ratio(out, Compare.TALLY, Compare.NGINX);
        ratio(out, Compare.TALLY_NO_LIMIT, Compare.CEILING);
        ratio(out, Compare.TALLY_NO_LIMIT, Compare.NGINX);
        return out.toString();
    }

    private void row(final StringBuilder out, final String target)
    {
        final List<Compare.Measurement> closedRuns = closed.get(target);
        double min = Double.MAX_VALUE;
        double max = 0;
        double cpu = 0;
        final long[] statuses = new long[600];
        long errors = 0;
        for (final Compare.Measurement run : closedRuns)
        {
            min = Math.min(min, run.result().requestsPerSecond());
            max = Math.max(max, run.result().requestsPerSecond());
            cpu += run.cpuCores() / closedRuns.size();
            for (int code = 0; code < statuses.length; code++)
            {
                statuses[code] += run.result().status(code);
            }
            errors += run.result().errors();
        }
        final double rate = maxRate(target);
        final LoadResult latency = medianP99(open.get(target));
        double openCpu = 0;
        for (final Compare.Measurement run : open.get(target))
        {
            errors += run.result().errors() + run.result().unsent();
            openCpu += run.cpuCores() / open.get(target).size();
        }
        out.append(String.format(Locale.ROOT, "| %s | **%,.0f** (%,.0f-%,.0f) | %.2f | %.1f | %.2f / **%.2f** / %.2f / %.2f (CPU %.2f) | %s | %d |%n",
            LABELS.get(target), rate, min, max, cpu, cpu * 1e6 / rate, latency.latencyMillis(50), latency.latencyMillis(99),
            latency.latencyMillis(99.9), latency.maxLatencyMillis(), openCpu, shares(statuses), errors));
    }

    /** The open-mode run with the median p99. */
    private static LoadResult medianP99(final List<Compare.Measurement> runs)
    {
        final List<Compare.Measurement> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.result().latencyMillis(99), b.result().latencyMillis(99)));
        return sorted.get(sorted.size() / 2).result();
    }

    private static String shares(final long[] statuses)
    {
        long total = 0;
        for (final long count : statuses)
        {
            total += count;
        }
        final StringBuilder out = new StringBuilder();
        for (int code = 0; code < statuses.length; code++)
        {
            if (statuses[code] > 0)
            {
                out.append(out.length() == 0 ? "" : ", ").append(code == 0 ? "other" : Integer.toString(code))
                    .append(String.format(Locale.ROOT, " %.1f%%", 100.0 * statuses[code] / total));
            }
        }
        return out.toString();
    }

    private void ratio(final StringBuilder out, final String numerator, final String denominator)
    {
        if (closed.containsKey(numerator) && closed.containsKey(denominator))
        {
            out.append(String.format(Locale.ROOT, "- %s / %s: **%.2f**%n", LABELS.get(numerator), LABELS.get(denominator),
                maxRate(numerator) / maxRate(denominator)));
        }
    }

    /** Replaces the text between {@link #BEGIN} and {@link #END} in {@code file} (appends both when absent). */
    static void writeInto(final Path file, final String markdown)
    {
        try
        {
            final String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
            final int begin = text.indexOf(BEGIN);
            final int end = text.indexOf(END);
            final String block = BEGIN + "\n" + markdown + END;
            final String updated = begin >= 0 && end > begin ?
                text.substring(0, begin) + block + text.substring(end + END.length()) :
                text + "\n## Comparison: Tally, nginx and a do-nothing Netty server\n\n" + block + "\n";
            Files.writeString(file, updated);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
