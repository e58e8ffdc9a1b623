package io.tally.bench.soak;

/**
 * The few figures the soak reads from the engine's {@code /metrics} (Prometheus text format): the JVM's heap
 * used, its old generation, and the journal's appends. Read over HTTP, so the engine's own numbers, sampled from
 * outside like the {@code /proc} figures.
 */
record EngineMetricsText(long heapUsedBytes, long oldGenUsedBytes, long journalAppends)
{
    /**
     * Parses a scrape. The old generation is the memory pool whose name has {@code Old} or {@code Tenured} in it
     * (Serial, Parallel and G1 name it so); -1 when there is none.
     */
    static EngineMetricsText parse(final String text)
    {
        long heap = -1;
        long oldGen = -1;
        long appends = -1;
        for (final String line : (Iterable<String>)text.lines()::iterator)
        {
            if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"} "))
            {
                heap = value(line);
            }
            else if (line.startsWith("jvm_memory_pool_used_bytes{") && (line.contains("Old") || line.contains("Tenured")))
            {
                oldGen = value(line);
            }
            else if (line.startsWith("tally_journal_appends_total "))
            {
                appends = value(line);
            }
        }
        if (heap < 0 || appends < 0)
        {
            throw new IllegalArgumentException("the scrape has no jvm_memory_used_bytes{area=\"heap\"} or " +
                "tally_journal_appends_total: is it Tally's /metrics?");
        }
        return new EngineMetricsText(heap, oldGen, appends);
    }

    /** The sample value: the text after the last space ({@code 3.307712E7} is a double in the format). */
    private static long value(final String line)
    {
        return (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
