package io.tally.bench.soak;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SoakTableTest
{
    private static final long MB = 1024 * 1024;

    @Test
    void eachRowShowsWhatHappenedSinceTheRowBefore()
    {
        final List<SoakSample> samples = List.of(
            new SoakSample(0, new EngineMetricsText(70 * MB, 24 * MB, 400_000), new ProcessSample(364 * 1024, 241 * 1024, 123 * 1024, 23, 74),
                100.0, 10.0, false),
            new SoakSample(10, new EngineMetricsText(102 * MB, 25 * MB, 750_000), new ProcessSample(391 * 1024, 252 * 1024, 139 * 1024, 23, 199),
                109.5, 10.5, false),
            new SoakSample(10, new EngineMetricsText(55 * MB, -1, 751_000), new ProcessSample(374 * 1024, 249 * 1024, 125 * 1024, 22, 71),
                109.6, 10.5, true));
        assertEquals("""
            | s | events/s journaled | engine CPU, waited (cores) | heap used MB | old gen MB | RSS MB | RSS anon MB | RSS file MB | open files | threads |
            |--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|
            | 0 |  |  | 70 | 24 | 364 | 241 | 123 | 74 | 23 |
            | 10 | 35,000 | 0.95, 0.05 | 102 | 25 | 391 | 252 | 139 | 199 | 23 |
            | 10 (load over) |  |  | 55 |  | 374 | 249 | 125 | 71 | 22 |
            """, SoakTable.markdown(samples));
    }
}
