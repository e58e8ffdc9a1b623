package io.tally.bench.soak;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoakVerdictTest
{
    private static final long MB = 1024 * 1024;

    /** Ten minutes of samples every 10 s; each figure a function of the second. */
    private static List<SoakSample> samples(final LongUnaryOperator heapMb, final LongUnaryOperator rssAnonMb,
        final LongUnaryOperator openFiles)
    {
        final List<SoakSample> samples = new ArrayList<>();
        for (long s = 0; s <= 600; s += 10)
        {
            samples.add(new SoakSample(s, new EngineMetricsText(heapMb.applyAsLong(s) * MB, 20 * MB, s * 35_000),
                new ProcessSample((rssAnonMb.applyAsLong(s) + 100 + s) * 1024, rssAnonMb.applyAsLong(s) * 1024, (100 + s) * 1024,
                    40, (int)openFiles.applyAsLong(s)), s * 0.9, s * 0.05, false));
        }
        return samples;
    }

    private static SoakVerdict.Figure figure(final List<SoakVerdict.Figure> figures, final String name)
    {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aSawtoothHeapIsFlatByItsFloor()
    {
        // young generation filling and emptying: 30 MB up to 110 MB, every 50 s
        final List<SoakVerdict.Figure> figures = SoakVerdict.judge(samples(s -> 30 + (s % 50) * 2, s -> 200, s -> 150));
        final SoakVerdict.Figure heap = figure(figures, "heap used");
        assertEquals(30, heap.first());
        assertEquals(30, heap.last());
        assertFalse(heap.growing());
        assertEquals("flat: nothing but the journal's mapped pages grew from the first minute to the last",
            SoakVerdict.overall(figures));
    }

    @Test
    void aRisingFloorIsGrowthAndSaysHowMuch()
    {
        final List<SoakVerdict.Figure> figures = SoakVerdict.judge(samples(s -> 30 + s / 10 + (s % 50), s -> 200 + s / 4, s -> 150));
        final SoakVerdict.Figure heap = figure(figures, "heap used");
        assertTrue(heap.growing());
        assertEquals(30, heap.first());
        assertEquals(85, heap.last());
        assertTrue(figure(figures, "RSS anonymous").growing());
        assertEquals("GROWING: heap used, RSS anonymous", SoakVerdict.overall(figures));
        assertTrue(heap.describe().contains("GROWING: first minute 30 MB, last minute 85 MB (+55 MB, +183%)"), heap.describe());
    }

    @Test
    void theJournalsMappedPagesGrowWithoutMakingTheVerdictGrowing()
    {
        final List<SoakVerdict.Figure> figures = SoakVerdict.judge(samples(s -> 40, s -> 200, s -> 150));
        assertTrue(figure(figures, "RSS file-backed").growing());
        assertTrue(figure(figures, "RSS").growing());
        assertTrue(SoakVerdict.overall(figures).startsWith("flat"));
    }

    @Test
    void growthWithinTheSlackOrTheToleranceIsFlat()
    {
        // 8 more files is the slack; 160 to 175 is under 10%
        assertFalse(figure(SoakVerdict.judge(samples(s -> 40, s -> 200, s -> s < 300 ? 150 : 158)), "open files").growing());
        assertFalse(figure(SoakVerdict.judge(samples(s -> 40, s -> 200, s -> s < 300 ? 160 : 175)), "open files").growing());
        assertTrue(figure(SoakVerdict.judge(samples(s -> 40, s -> 200, s -> s < 300 ? 150 : 170)), "open files").growing());
    }

    @Test
    void aShortSoakComparesItsFirstAndLastThirds()
    {
        final List<SoakSample> samples = samples(s -> 40, s -> s <= 30 ? 100 : 200, s -> 150).subList(0, 10);
        final SoakVerdict.Figure rss = figure(SoakVerdict.judge(samples), "RSS anonymous");
        assertEquals(100, rss.first());
        assertEquals(200, rss.last());
    }
}
