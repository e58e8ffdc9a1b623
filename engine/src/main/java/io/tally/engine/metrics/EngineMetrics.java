package io.tally.engine.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.tally.codec.DropReason;
import io.tally.codec.Outcome;
import io.tally.engine.limit.Limiters;
import io.tally.engine.limit.Quotas;
import io.tally.engine.limit.RateLimiter;
import io.tally.engine.site.Site;
import io.tally.store.agent.SupervisedAgent;

import java.util.Map;
import java.util.function.IntSupplier;

import static io.tally.engine.metrics.MetricFamilies.counter;
import static io.tally.engine.metrics.MetricFamilies.counterPoint;
import static io.tally.engine.metrics.MetricFamilies.counters;
import static io.tally.engine.metrics.MetricFamilies.gauge;
import static io.tally.engine.metrics.MetricFamilies.gaugePoint;
import static io.tally.engine.metrics.MetricFamilies.gauges;

/**
 * Tally's own metric families, read from the engine's counters at scrape time, and the families of the
 * {@link MetricSource}s beside it (the request path only adds to counters made at start; this cold path builds the
 * snapshots). JVM memory and GC come from the client library's {@code JvmMetrics}, registered beside this collector
 * by {@link io.tally.engine.api.admin.MetricsEndpoint}.
 */
public final class EngineMetrics implements MultiCollector
{
    static final double[] QUANTILES = {0.5, 0.99, 0.999};

    private final EngineReadings readings;
    private final IntSupplier openConnections;

    public EngineMetrics(final EngineReadings readings, final IntSupplier openConnections)
    {
        this.readings = readings;
        this.openConnections = openConnections;
    }

    @Override
    public MetricSnapshots collect()
    {
        final MetricSnapshots.Builder all = MetricSnapshots.builder();
        requests(all);
        events(all);
        limiter(all);
        journal(all);
        readings.parts().metricSources().forEach(source -> source.addTo(all));
        quotas(all);
        health(all);
        all.metricSnapshot(counter("tally_properties_dropped", "properties dropped past the 30th of an event",
            readings.counters().droppedProperties()));
        droppedFields(all);
        all.metricSnapshot(gauge("tally_open_connections", "connections open now", openConnections.getAsInt()));
        all.metricSnapshot(counter("tally_rejected_connections", "connections closed at once past --max-connections",
            readings.counters().rejectedConnections()));
        return all.build();
    }

    private void requests(final MetricSnapshots.Builder all)
    {
        final CounterSnapshot.Builder requests = counters("tally_requests",
            "HTTP requests answered, by endpoint and status");
        final SummarySnapshot.Builder latency = SummarySnapshot.builder().name("tally_request_duration_seconds")
            .help("time from a request's head to its answer, by endpoint (quantiles over the last one to two minutes)")
            .unit(Unit.SECONDS);
        final RequestMetrics metrics = readings.requestMetrics();
        for (int e = 0; e < Endpoint.count(); e++)
        {
            final Endpoint endpoint = Endpoint.get(e);
            for (int slot = 0; slot < RequestMetrics.slotCount(); slot++)
            {
                final long count = metrics.requests(endpoint, slot);
                if (count > 0)
                {
                    requests.dataPoint(counterPoint(
                        Labels.of("endpoint", endpoint.label(), "status", RequestMetrics.statusLabel(slot)), count));
                }
            }
            final LatencySummary.Sample sample = metrics.latency(endpoint).sample(QUANTILES);
            if (sample.count() > 0)
            {
                final Quantiles.Builder quantiles = Quantiles.builder();
                for (int q = 0; q < QUANTILES.length; q++)
                {
                    quantiles.quantile(new Quantile(QUANTILES[q], sample.quantileSeconds()[q]));
                }
                latency.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                    .labels(Labels.of("endpoint", endpoint.label())).count(sample.count()).sum(sample.sumSeconds())
                    .quantiles(quantiles.build()).build());
            }
        }
        all.metricSnapshot(requests.build());
        all.metricSnapshot(latency.build());
    }

    private void events(final MetricSnapshots.Builder all)
    {
        final CounterSnapshot.Builder events = counters("tally_events",
            "events by ingest endpoint and answer (a trusted batch counts per line; one refused whole counts once)");
        final CounterSnapshot.Builder rejections = counters("tally_rejections",
            "refused requests and events by error code");
        final IngestCounters counters = readings.counters();
        for (int o = 0; o < Outcome.count(); o++)
        {
            final Outcome outcome = Outcome.get(o);
            for (final Endpoint endpoint : new Endpoint[] {Endpoint.EVENT, Endpoint.TRUSTED})
            {
                final long count = counters.count(endpoint, outcome);
                if (count > 0)
                {
                    events.dataPoint(counterPoint(Labels.of("endpoint", endpoint.label(), "outcome", outcome.code()),
                        count));
                }
            }
            final long total = counters.count(outcome);
            if (total > 0 && outcome != Outcome.ACCEPTED && outcome != Outcome.DUPLICATE &&
                outcome != Outcome.ROBOT)
            {
                rejections.dataPoint(counterPoint(Labels.of("code", outcome.code()), total));
            }
        }
        all.metricSnapshot(events.build());
        all.metricSnapshot(rejections.build());
    }

    /** Parts of accepted events not kept, by reason: the {@code Tally-Dropped} header's counts (docs/plausible.md). */
    private void droppedFields(final MetricSnapshots.Builder all)
    {
        final CounterSnapshot.Builder dropped = counters("tally_fields_dropped",
            "parts of accepted events not kept, by reason (the Tally-Dropped header's names)");
        for (int i = 0; i < DropReason.COUNT; i++)
        {
            final DropReason reason = DropReason.get(i);
            dropped.dataPoint(counterPoint(Labels.of("reason", reason.wireName()), readings.counters().dropped(reason)));
        }
        all.metricSnapshot(dropped.build());
    }

    private void limiter(final MetricSnapshots.Builder all)
    {
        final CounterSnapshot.Builder limited = counters("tally_rate_limited",
            "requests refused by the rate limiter, by limiter (default, or the site of an override)");
        final CounterSnapshot.Builder addresses = counters("tally_rate_limited_addresses",
            "distinct client addresses refused by the rate limiter (again once an address's bucket was full)");
        final GaugeSnapshot.Builder tracked = gauges("tally_limiter_tracked_addresses",
            "client addresses the rate limiter holds a bucket for");
        final CounterSnapshot.Builder untracked = counters("tally_limiter_untracked",
            "requests let through without a bucket because the limiter's table was full of busy addresses");
        final GaugeSnapshot.Builder rate = gauges("tally_limiter_rate_per_second",
            "requests per second per client address (0: off)");
        final GaugeSnapshot.Builder burst = gauges("tally_limiter_burst",
            "requests an idle client address may send at once (0: off)");
        final Limiters limiters = readings.limiters();
        addLimiter("default", limiters.defaultLimiter(), limited, addresses, tracked, untracked, rate, burst);
        for (final Map.Entry<String, RateLimiter> entry : limiters.overrides().entrySet())
        {
            addLimiter(entry.getKey(), entry.getValue(), limited, addresses, tracked, untracked, rate, burst);
        }
        all.metricSnapshot(limited.build()).metricSnapshot(addresses.build()).metricSnapshot(tracked.build())
            .metricSnapshot(untracked.build()).metricSnapshot(rate.build()).metricSnapshot(burst.build());
    }

    private static void addLimiter(final String name, final RateLimiter limiter, final CounterSnapshot.Builder limited,
        final CounterSnapshot.Builder addresses, final GaugeSnapshot.Builder tracked, final CounterSnapshot.Builder untracked,
        final GaugeSnapshot.Builder rate, final GaugeSnapshot.Builder burst)
    {
        final Labels labels = Labels.of("limiter", name);
        limited.dataPoint(counterPoint(labels, limiter.limitedCount()));
        addresses.dataPoint(counterPoint(labels, limiter.limitedAddressCount()));
        tracked.dataPoint(gaugePoint(labels, limiter.trackedAddresses()));
        untracked.dataPoint(counterPoint(labels, limiter.untrackedCount()));
        rate.dataPoint(gaugePoint(labels, limiter.ratePerSecond()));
        burst.dataPoint(gaugePoint(labels, limiter.burst()));
    }

    private void journal(final MetricSnapshots.Builder all)
    {
        all.metricSnapshot(counter("tally_journal_appends", "records appended to the journal", readings.counters().journalAppends()));
        all.metricSnapshot(CounterSnapshot.builder().name("tally_journal_bytes").unit(Unit.BYTES)
            .help("bytes of records appended to the journal")
            .dataPoint(counterPoint(Labels.EMPTY, readings.counters().journalBytes()))
            .build());
        final RollupLag lag = RollupLag.of(readings.journal(), readings.rollups(), readings.clock());
        all.metricSnapshot(gauge("tally_rollup_lag_events", "journal records the rollups have not counted yet", lag.events()));
        all.metricSnapshot(GaugeSnapshot.builder().name("tally_rollup_lag_seconds").unit(Unit.SECONDS)
            .help("age of the oldest journal record the rollups have not counted yet (0 when caught up)")
            .dataPoint(gaugePoint(Labels.EMPTY, lag.seconds()))
            .build());
        all.metricSnapshot(counter("tally_rollup_unreadable_records",
            "journal records the rollups skipped because this build cannot read them", readings.rollups().unreadableCount()));
    }

    /** The disk against its reserve, the background agents' restarts and state, the state files set aside. */
    private void health(final MetricSnapshots.Builder all)
    {
        all.metricSnapshot(GaugeSnapshot.builder().name("tally_disk_free_bytes").unit(Unit.BYTES)
            .help("free space on the data dir's file system at the last reading")
            .dataPoint(gaugePoint(Labels.EMPTY, readings.freeSpace().freeBytes())).build());
        all.metricSnapshot(GaugeSnapshot.builder().name("tally_journal_disk_bytes").unit(Unit.BYTES)
            .help("bytes of the journal's daily files (their length: parts not yet written take no space)")
            .dataPoint(gaugePoint(Labels.EMPTY, readings.journalDiskBytes().getAsLong())).build());
        all.metricSnapshot(GaugeSnapshot.builder().name("tally_rollup_disk_bytes").unit(Unit.BYTES)
            .help("bytes of the rollups' segment files: sealed days, their deltas, the open days' checkpoint files")
            .dataPoint(gaugePoint(Labels.EMPTY, readings.rollupDiskBytes().getAsLong())).build());
        all.metricSnapshot(gauge("tally_disk_low", "1 while the free space is below --min-free-space: events are refused",
            readings.freeSpace().isLow() ? 1 : 0));
        final CounterSnapshot.Builder restarts = counters("tally_agent_restarts",
            "times a background agent was started afresh after a failure, by agent");
        final GaugeSnapshot.Builder running = gauges("tally_agent_running", "1 while a background agent runs, by agent");
        readings.parts().agents().forEach((name, agent) ->
        {
            restarts.dataPoint(counterPoint(Labels.of("agent", name), agent.restarts()));
            running.dataPoint(gaugePoint(Labels.of("agent", name), agent.state() == SupervisedAgent.State.RUNNING ? 1 : 0));
        });
        all.metricSnapshot(restarts.build()).metricSnapshot(running.build());
        all.metricSnapshot(counter("tally_state_files_set_aside", "damaged state files set aside since start",
            readings.stateFiles().setAsideCount()));
    }

    private void quotas(final MetricSnapshots.Builder all)
    {
        final GaugeSnapshot.Builder used = gauges("tally_quota_used_events",
            "events counted against each site's monthly quota this month (UTC)");
        final GaugeSnapshot.Builder quota = gauges("tally_quota_events",
            "each site's monthly event quota (only sites with one)");
        final long now = readings.clock().getAsLong();
        for (final Site site : readings.sites().get())
        {
            final Quotas.SiteUsage usage = readings.quotas().usage(site.domain(), now);
            final Labels labels = Labels.of("site", site.domain());
            used.dataPoint(gaugePoint(labels, usage.used()));
            if (usage.quota() > 0)
            {
                quota.dataPoint(gaugePoint(labels, usage.quota()));
            }
        }
        all.metricSnapshot(used.build()).metricSnapshot(quota.build());
    }
}
