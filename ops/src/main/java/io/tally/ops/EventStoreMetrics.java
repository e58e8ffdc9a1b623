package io.tally.ops;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tally.engine.metrics.MetricSource;
import io.tally.explore.EventStoreCounters;
import io.tally.store.Journal;

import static io.tally.engine.metrics.MetricFamilies.counter;
import static io.tally.engine.metrics.MetricFamilies.gauge;

/** The event store's families in {@code /metrics}: rows sealed, rounds, and the records journaled but not sealed yet. */
final class EventStoreMetrics implements MetricSource
{
    private final EventStoreCounters counters;
    private final Journal journal;

    EventStoreMetrics(final EventStoreCounters counters, final Journal journal)
    {
        this.counters = counters;
        this.journal = journal;
    }

    @Override
    public void addTo(final MetricSnapshots.Builder all)
    {
        all.metricSnapshot(counter("tally_event_store_rows_sealed", "events sealed into the event store's files since start",
            counters.rowsSealed()));
        all.metricSnapshot(counter("tally_event_store_rounds", "sealing rounds since start", counters.rounds()));
        all.metricSnapshot(gauge("tally_event_store_lag_events", "journal records not sealed into the event store yet",
            journal.countAfter(counters.position())));
        all.metricSnapshot(gauge("tally_event_store_last_round_seconds", "how long the last sealing round took",
            counters.lastRoundNanos() / 1e9));
    }
}
