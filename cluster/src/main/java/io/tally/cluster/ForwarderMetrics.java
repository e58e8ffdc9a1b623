package io.tally.cluster;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tally.engine.metrics.MetricSource;

import static io.tally.engine.metrics.MetricFamilies.counter;
import static io.tally.engine.metrics.MetricFamilies.gauge;

/** The forwarder's families in {@code /metrics}: its lag (alert on it), records forwarded, failed tries. */
public final class ForwarderMetrics implements MetricSource
{
    private final JournalForwarder forwarder;

    public ForwarderMetrics(final JournalForwarder forwarder)
    {
        this.forwarder = forwarder;
    }

    @Override
    public void addTo(final MetricSnapshots.Builder all)
    {
        all.metricSnapshot(gauge("tally_forward_lag_records",
            "journal records not yet acknowledged by the Kafka brokers (the journal holds them meanwhile)", forwarder.lagRecords()));
        all.metricSnapshot(counter("tally_forwarded_records", "journal records the Kafka brokers acknowledged",
            forwarder.forwardedRecords()));
        all.metricSnapshot(counter("tally_forward_failures",
            "tries to forward that failed (brokers unreachable or refusing); each is retried after a backoff", forwarder.failures()));
    }
}
