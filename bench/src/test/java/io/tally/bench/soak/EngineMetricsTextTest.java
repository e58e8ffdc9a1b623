package io.tally.bench.soak;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EngineMetricsTextTest
{
    private static final String SCRAPE = """
        # HELP jvm_memory_used_bytes Used bytes of a given JVM memory area.
        # TYPE jvm_memory_used_bytes gauge
        jvm_memory_used_bytes{area="heap"} 3.307712E7
        jvm_memory_used_bytes{area="nonheap"} 3.6643832E7
        # TYPE jvm_memory_pool_used_bytes gauge
        jvm_memory_pool_used_bytes{pool="Eden Space"} 1.2E7
        jvm_memory_pool_used_bytes{pool="Tenured Gen"} 2.097152E7
        # TYPE tally_journal_appends_total counter
        tally_journal_appends_total 1234567.0
        tally_journal_bytes_total 9.9E8
        """;

    @Test
    void readsHeapOldGenerationAndJournalAppends()
    {
        assertEquals(new EngineMetricsText(33_077_120, 20_971_520, 1_234_567), EngineMetricsText.parse(SCRAPE));
    }

    @Test
    void theOldGenerationOfG1IsFoundByName()
    {
        assertEquals(5_000_000, EngineMetricsText.parse(SCRAPE.replace("{pool=\"Tenured Gen\"} 2.097152E7",
            "{pool=\"G1 Old Gen\"} 5000000.0")).oldGenUsedBytes());
    }

    @Test
    void withoutAnOldGenerationPoolItIsMinusOne()
    {
        assertEquals(-1, EngineMetricsText.parse(SCRAPE.replace("Tenured Gen", "Survivor Space")).oldGenUsedBytes());
    }

    @Test
    void aScrapeThatIsNotTallysIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> EngineMetricsText.parse("jvm_memory_used_bytes{area=\"heap\"} 1.0\n"));
    }
}
