package io.tally.bench.soak;

/**
 * One reading of the engine, {@code seconds} after the soak's load began: its metrics, its process, and the CPU
 * time it has used and waited for (cumulative seconds; on a shared machine the wait says what other work took).
 * {@code loadOver}: read after the load ended (its connections closed).
 */
record SoakSample(long seconds, EngineMetricsText metrics, ProcessSample process, double cpuSeconds, double waitSeconds,
    boolean loadOver)
{
}
