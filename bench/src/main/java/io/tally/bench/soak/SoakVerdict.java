package io.tally.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Flat or growing: for each figure, its floor (lowest reading) in the soak's first minute against its floor in the
 * last minute. The floor, because the heap is a sawtooth (the young generation fills and empties) and connections
 * come and go: what a leak raises is the level the figure falls back to. A figure grows when its last floor is
 * above the first by more than {@value #TOLERANCE_PERCENT}% and by more than the figure's slack (a few MB, a few
 * files or threads: noise on an idle reading).
 */
final class SoakVerdict
{
    static final int TOLERANCE_PERCENT = 10;
    /** The windows compared: a minute, or a third of a shorter soak. */
    static final long WINDOW_SECONDS = 60;

    private static final long MB = 1024 * 1024;

    /**
     * One figure's comparison. {@code followsJournal}: the file-backed memory of the mapped journal, which grows
     * with what was written whatever else happens (the kernel reclaims it under pressure): reported, never a leak.
     */
    record Figure(String name, String unit, long first, long last, boolean growing, boolean followsJournal)
    {
        String describe()
        {
            final long change = last - first;
            final String amount = String.format(Locale.ROOT, "%s%,d %s", change >= 0 ? "+" : "", change, unit);
            final String percent = first == 0 ? "" : String.format(Locale.ROOT, ", %+.0f%%", 100.0 * change / first);
            return String.format(Locale.ROOT, "%-20s %s: first minute %,d %s, last minute %,d %s (%s%s)%s", name,
                growing ? "GROWING" : "flat", first, unit, last, unit, amount, percent,
                followsJournal ? " (the journal's mapped pages)" : "");
        }
    }

    private SoakVerdict()
    {
    }

    /** "flat", or what grows apart from the journal's mapped pages. */
    static String overall(final List<Figure> figures)
    {
        final List<String> growing = figures.stream().filter(f -> f.growing() && !f.followsJournal()).map(Figure::name).toList();
        return growing.isEmpty() ? "flat: nothing but the journal's mapped pages grew from the first minute to the last"
            : "GROWING: " + String.join(", ", growing);
    }

    /** Every figure's comparison; the samples must span at least two readings. */
    static List<Figure> judge(final List<SoakSample> samples)
    {
        if (samples.size() < 2)
        {
            throw new IllegalArgumentException("a verdict needs at least two samples");
        }
        final long end = samples.get(samples.size() - 1).seconds();
        final long window = Math.min(WINDOW_SECONDS, Math.max(1, end / 3));
        final List<Figure> figures = new ArrayList<>();
        figures.add(figure(samples, window, "heap used", "MB", 4, false, s -> s.metrics().heapUsedBytes() / MB));
        if (samples.stream().allMatch(s -> s.metrics().oldGenUsedBytes() >= 0))
        {
            figures.add(figure(samples, window, "old generation", "MB", 4, false, s -> s.metrics().oldGenUsedBytes() / MB));
        }
        figures.add(figure(samples, window, "RSS anonymous", "MB", 16, false, s -> s.process().rssAnonKb() / 1024));
        figures.add(figure(samples, window, "RSS file-backed", "MB", 16, true, s -> s.process().rssFileKb() / 1024));
        figures.add(figure(samples, window, "RSS", "MB", 16, true, s -> s.process().rssKb() / 1024));
        figures.add(figure(samples, window, "open files", "files", 8, false, s -> s.process().openFiles()));
        figures.add(figure(samples, window, "threads", "threads", 4, false, s -> s.process().threads()));
        return figures;
    }

    /** The floor of the samples in [0, window] against that of [end - window, end]. */
    static Figure figure(final List<SoakSample> samples, final long window, final String name, final String unit,
        final long slack, final boolean followsJournal, final ToLongFunction<SoakSample> reading)
    {
        final long end = samples.get(samples.size() - 1).seconds();
        long first = Long.MAX_VALUE;
        long last = Long.MAX_VALUE;
        for (final SoakSample sample : samples)
        {
            if (sample.seconds() <= window)
            {
                first = Math.min(first, reading.applyAsLong(sample));
            }
            if (sample.seconds() >= end - window)
            {
                last = Math.min(last, reading.applyAsLong(sample));
            }
        }
        final long growth = last - first;
        final boolean growing = growth > slack && growth * 100 > first * TOLERANCE_PERCENT;
        return new Figure(name, unit, first, last, growing, followsJournal);
    }
}
