package io.tally.bench.soak;

import java.util.List;
import java.util.Locale;

/**
 * The samples as a Markdown table, one row per reading, with what happened since the reading before: the journal's
 * rate, and the CPU the engine used and waited for (1.00 is a whole core).
 */
final class SoakTable
{
    private static final double MB = 1024.0 * 1024.0;

    private SoakTable()
    {
    }

    static String markdown(final List<SoakSample> samples)
    {
        final StringBuilder out = new StringBuilder(128 * (samples.size() + 2));
        out.append("| s | events/s journaled | engine CPU, waited (cores) | heap used MB | old gen MB | RSS MB | RSS anon MB | " +
            "RSS file MB | open files | threads |\n");
        out.append("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        SoakSample before = null;
        for (final SoakSample sample : samples)
        {
            final boolean since = before != null && sample.seconds() > before.seconds();
            final double seconds = since ? sample.seconds() - before.seconds() : 1;
            final String rate = since ? String.format(Locale.ROOT, "%,.0f",
                (sample.metrics().journalAppends() - before.metrics().journalAppends()) / seconds) : "";
            final String cpu = since ? String.format(Locale.ROOT, "%.2f, %.2f", (sample.cpuSeconds() - before.cpuSeconds()) / seconds,
                (sample.waitSeconds() - before.waitSeconds()) / seconds) : "";
            final long oldGen = sample.metrics().oldGenUsedBytes();
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %s | %,d | %,d | %,d | %d | %d |%n",
                sample.seconds() + (sample.loadOver() ? " (load over)" : ""), rate, cpu,
                sample.metrics().heapUsedBytes() / MB, oldGen < 0 ? "" : String.format(Locale.ROOT, "%.0f", oldGen / MB),
                sample.process().rssKb() / 1024, sample.process().rssAnonKb() / 1024, sample.process().rssFileKb() / 1024,
                sample.process().openFiles(), sample.process().threads()));
            before = sample;
        }
        return out.toString();
    }
}
