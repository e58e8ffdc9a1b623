package io.tally.engine.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The metric families of a part made beside the engine (the notifier, say), added to every {@code /metrics}
 * scrape with the engine's own. Called on the scraping thread: it reads its counters and builds snapshots, nothing
 * more (the scrape is synchronized, and every family it adds must have a name no other source uses).
 */
@FunctionalInterface
public interface MetricSource
{
    /** Adds this part's families to the scrape being built. */
    void addTo(MetricSnapshots.Builder all);
}
