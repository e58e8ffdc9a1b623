package io.tally.cluster;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tally.engine.metrics.MetricSource;
import org.apache.kafka.common.TopicPartition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.tally.engine.metrics.MetricFamilies.counter;
import static io.tally.engine.metrics.MetricFamilies.gauge;

/**
 * What a rollup worker reports: records counted, repeats skipped, records that are not Tally's, its partitions and
 * its lag; written by the worker's agent, read by {@code /healthz} and {@code /metrics}.
 */
public final class WorkerReadings implements MetricSource
{
    private final String workerId;
    private final String topic;
    private final AtomicLong counted = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile long lag;
    private volatile long lastPollMillis;
    private volatile List<Integer> partitions = List.of();
    /** The agent's keys, read here for their counts only (longs: a torn read is a moment's stale figure at worst). */
    private volatile CountedKeys keys;

    public WorkerReadings(final String workerId, final String topic)
    {
        this.workerId = workerId;
        this.topic = topic;
    }

    void counted()
    {
        counted.incrementAndGet();
    }

    void repeat()
    {
        repeats.incrementAndGet();
    }

    void foreign()
    {
        foreign.incrementAndGet();
    }

    void unreadable()
    {
        unreadable.incrementAndGet();
    }

    void keys(final CountedKeys counted)
    {
        keys = counted;
    }

    /** Trusted events another node stored again, recognised by their idempotency key and not counted. */
    public long duplicateEvents()
    {
        final CountedKeys counted = keys;
        return counted == null ? 0 : counted.duplicates();
    }

    /** Idempotency keys counted but not remembered, past {@code --max-idempotency-keys}. */
    public long untrackedKeys()
    {
        final CountedKeys counted = keys;
        return counted == null ? 0 : counted.untracked();
    }

    void lag(final long records)
    {
        lag = records;
    }

    void polled()
    {
        lastPollMillis = System.currentTimeMillis();
    }

    void assigned(final java.util.Collection<TopicPartition> assigned)
    {
        partitions = assigned.stream().map(TopicPartition::partition).sorted().toList();
    }

    public long countedRecords()
    {
        return counted.get();
    }

    public long repeatedRecords()
    {
        return repeats.get();
    }

    public List<Integer> partitions()
    {
        return partitions;
    }

    public long lagRecords()
    {
        return lag;
    }

    /** The section {@code /healthz} shows. */
    public Map<String, Object> health()
    {
        final Map<String, Object> health = new LinkedHashMap<>();
        health.put("worker_id", workerId);
        health.put("topic", topic);
        health.put("partitions", partitions);
        health.put("lag_records", lag);
        health.put("counted_records", counted.get());
        health.put("repeated_records", repeats.get());
        health.put("foreign_records", foreign.get());
        health.put("unreadable_records", unreadable.get());
        health.put("duplicate_events", duplicateEvents());
        health.put("idempotency_keys_untracked", untrackedKeys());
        health.put("last_poll_ms", lastPollMillis);
        return health;
    }

    @Override
    public void addTo(final MetricSnapshots.Builder all)
    {
        all.metricSnapshot(gauge("tally_worker_lag_records", "records of this worker's partitions not counted yet", lag));
        all.metricSnapshot(gauge("tally_worker_partitions", "partitions of the topic this worker counts", partitions.size()));
        all.metricSnapshot(counter("tally_worker_counted_records", "records counted into the rollups", counted.get()));
        all.metricSnapshot(counter("tally_worker_repeated_records",
            "records an ingest node sent again after a restart, recognised and not counted", repeats.get()));
        all.metricSnapshot(counter("tally_worker_foreign_records", "records without Tally's node headers, not counted",
            foreign.get()));
        all.metricSnapshot(counter("tally_worker_duplicate_events",
            "trusted events another ingest node stored again, recognised by their idempotency key and not counted",
            duplicateEvents()));
        all.metricSnapshot(gauge("tally_worker_idempotency_keys_untracked",
            "idempotency keys counted but not remembered, past --max-idempotency-keys", untrackedKeys()));
        all.metricSnapshot(counter("tally_worker_unreadable_records", "records of a layout this build cannot read",
            unreadable.get()));
    }
}
