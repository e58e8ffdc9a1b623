package io.tally.engine.audience;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tally.codec.EventRecord;
import io.tally.engine.metrics.MetricSource;

import static io.tally.engine.metrics.MetricFamilies.counter;
import static io.tally.engine.metrics.MetricFamilies.counterPoint;
import static io.tally.engine.metrics.MetricFamilies.counters;
import static io.tally.engine.metrics.MetricFamilies.gauge;

/**
 * The screening's families in {@code /metrics}: robots' events by reason (dropped, or kept with {@code --keep-bots}),
 * the User-Agents cached and classified, and events journaled without a classification.
 */
public final class AudienceMetrics implements MetricSource
{
    private final Screening screening;

    public AudienceMetrics(final Screening screening)
    {
        this.screening = screening;
    }

    @Override
    public void addTo(final MetricSnapshots.Builder all)
    {
        final CounterSnapshot.Builder robots = counters("tally_robots",
            "robots' events by reason (crawler, automation, spam_referrer); kept=false: answered 202 and not stored");
        final String kept = Boolean.toString(screening.keepsBots());
        for (int reason = EventRecord.ROBOT_CRAWLER; reason <= EventRecord.ROBOT_SPAM_REFERRER; reason++)
        {
            robots.dataPoint(counterPoint(Labels.of("reason", EventRecord.robotName(reason), "kept", kept),
                screening.robots(reason)));
        }
        all.metricSnapshot(robots.build());
        all.metricSnapshot(gauge("tally_user_agents_cached", "distinct User-Agents whose classification is cached",
            screening.classifier().cache().size()));
        all.metricSnapshot(counter("tally_user_agents_classified", "User-Agents parsed (cache misses)",
            screening.classifier().classified()));
        all.metricSnapshot(counter("tally_user_agents_unclassified_events",
            "events journaled with the audience unknown because the User-Agent classifier's queue was full",
            screening.unclassifiedCount()));
    }
}
