package io.tally.bench.compare;

import io.tally.bench.load.LoadResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
        Compare.CEILING_MAPPED, "do-nothing Netty, 264 B a request to a mapped file",
        Compare.CEILING_JOURNAL, "do-nothing Netty, 264 B a request to Tally's journal",
        Compare.CEILING_JOURNAL_READ, "the same, and a thread reading the journal",
        Compare.NGINX, "nginx + echo, body to access log",
        Compare.TALLY, "Tally, 100 goals, limiter on",
        Compare.TALLY_NO_LIMIT, "Tally, 100 goals, limiter off",
        Compare.TALLY_JOURNAL_SHM, "Tally, limiter on, journal on tmpfs, the rest on the work dir",
        Compare.TALLY_REST_SHM, "Tally, limiter on, journal on the work dir, the rest on tmpfs",
        Compare.TALLY_NO_PRETOUCH, "Tally, limiter on, no journal pretouch");

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

    /**
     * The target's maximum: its best closed-mode round. Other work on the machine only ever takes from a round,
     * so the best is the closest to what the server does on its own core.
     */
    double maxRate(final String target)
    {
        return best(closed.get(target), true).result().requestsPerSecond();
    }

    /** The round with the highest rate ({@code byRate}) or the lowest p99. */
    private static Compare.Measurement best(final List<Compare.Measurement> runs, final boolean byRate)
    {
        Compare.Measurement best = runs.get(0);
        for (final Compare.Measurement run : runs)
        {
            if (byRate ? run.result().requestsPerSecond() > best.result().requestsPerSecond() :
                run.result().latencyMillis(99) < best.result().latencyMillis(99))
            {
                best = run;
            }
        }
        return best;
    }

    private static double median(final List<Compare.Measurement> runs, final boolean byRate)
    {
        final double[] values = new double[runs.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = byRate ? runs.get(i).result().requestsPerSecond() : runs.get(i).result().latencyMillis(99);
        }
        Arrays.sort(values);
        return values[values.length / 2];
    }

    String markdown(final Compare.CompareSettings settings, final String machine)
    {
        final StringBuilder out = new StringBuilder(4096);
        out.append("Command: `").append(settings.commandLine).append("`; ").append(settings.rounds)
            .append(" alternating rounds of ").append(settings.durationMillis / 1000).append(" s closed and ")
            .append(settings.openDurationMillis / 1000).append(" s open per server, ").append(settings.connections)
            .append(" keep-alive connections, the standard beacon mix from 4,096 `X-Forwarded-For` addresses. Servers pinned to CPU ")
            .append(settings.serverCpu).append(settings.ioThreads == 1 ? " (one I/O thread or worker each)" :
                " (" + settings.ioThreads + " I/O threads or workers each)").append(", the generator to CPU ").append(settings.clientCpu)
            .append(". Data, journals and logs under ").append(settings.workParent).append(" (").append(Machine.fileSystemOf(settings.workParent))
            .append(").\n\nMachine: ").append(machine).append("\n\n");
        final String openLoad = settings.openRate > 0 ? String.format(Locale.ROOT, "at %,d requests/s", settings.openRate) :
            "at 50% of max";
        out.append("| server | max requests/s: best round (median) | that round: server CPU, server waiting for CPU (generator CPU), cores | " +
            "server CPU µs/request | " + openLoad + ", best round: p50 / p99 / p99.9 / max ms | p99 ms, median round | " +
            "answers (closed rounds) | generator errors |\n");
        out.append("|---|--:|--:|--:|--:|--:|---|--:|\n");
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
        final long[] statuses = new long[600];
        long errors = 0;
        for (final Compare.Measurement run : closed.get(target))
        {
            for (int code = 0; code < statuses.length; code++)
            {
                statuses[code] += run.result().status(code);
            }
            errors += run.result().errors();
        }
        for (final Compare.Measurement run : open.get(target))
        {
            errors += run.result().errors() + run.result().unsent();
        }
        final Compare.Measurement fastest = best(closed.get(target), true);
        final Compare.Measurement calmest = best(open.get(target), false);
        final LoadResult latency = calmest.result();
        out.append(String.format(Locale.ROOT, "| %s | **%,.0f** (%,.0f) | %.2f, %.2f (%.2f) | %.1f | " +
            "%.2f / **%.2f** / %.2f / %.2f (CPU %.2f) | %.2f | %s | %d |%n",
            LABELS.get(target), fastest.result().requestsPerSecond(), median(closed.get(target), true), fastest.cpuCores(),
            fastest.waitCores(), fastest.generatorCores(), fastest.cpuCores() * 1e6 / fastest.result().requestsPerSecond(),
            latency.latencyMillis(50), latency.latencyMillis(99), latency.latencyMillis(99.9), latency.maxLatencyMillis(),
            calmest.cpuCores(), median(open.get(target), false), shares(statuses), errors));
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
