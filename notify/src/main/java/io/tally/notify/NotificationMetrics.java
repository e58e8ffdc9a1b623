package io.tally.notify;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tally.engine.metrics.MetricSource;

import static io.tally.engine.metrics.MetricFamilies.counterPoint;
import static io.tally.engine.metrics.MetricFamilies.counters;
import static io.tally.engine.metrics.MetricFamilies.gauge;

/** The notifier's families in {@code /metrics}: deliveries sent, failed and dropped by channel, and those pending. */
final class NotificationMetrics implements MetricSource
{
    private final NotificationCounters counters;

    NotificationMetrics(final NotificationCounters counters)
    {
        this.counters = counters;
    }

    @Override
    public void addTo(final MetricSnapshots.Builder all)
    {
        final CounterSnapshot.Builder sent = counters("tally_notifications_sent",
            "conversion notifications delivered, by channel");
        final CounterSnapshot.Builder failed = counters("tally_notifications_failed",
            "conversion notification attempts that failed (each is retried until the last attempt), by channel");
        final CounterSnapshot.Builder dropped = counters("tally_notifications_dropped",
            "conversion notifications given up after the last attempt, by channel");
        for (int c = 0; c < NotificationCounters.channels(); c++)
        {
            final String channel = NotificationCounters.channel(c);
            final Labels labels = Labels.of("channel", channel);
            sent.dataPoint(counterPoint(labels, counters.sent(channel)));
            failed.dataPoint(counterPoint(labels, counters.failed(channel)));
            dropped.dataPoint(counterPoint(labels, counters.dropped(channel)));
        }
        all.metricSnapshot(sent.build()).metricSnapshot(failed.build()).metricSnapshot(dropped.build());
        all.metricSnapshot(counters("tally_notifications_records_read",
            "journal records the notifier read (none while no goal has a recipient)")
            .dataPoint(counterPoint(Labels.EMPTY, counters.recordsRead())).build());
        all.metricSnapshot(gauge("tally_notifications_pending", "notifications in flight or waiting for a retry",
            counters.pending()));
    }
}
