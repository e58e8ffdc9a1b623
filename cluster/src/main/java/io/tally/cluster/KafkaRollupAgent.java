package io.tally.cluster;

import io.tally.codec.EventRecordDecoder;
import io.tally.store.JournalReader;
import io.tally.store.agent.RestartableAgent;
import io.tally.store.rollup.RollupCheckpoint;
import io.tally.store.rollup.RollupDriver;
import io.tally.store.rollup.Rollups;
import io.tally.store.state.FreeSpace;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A rollup worker's agent: consumes the cluster's topic in the worker group and counts each record into the
 * engine's {@link Rollups} with the store's own code (each poll's records in one {@link Rollups#applyBatch}), in
 * place of the journal tailer. Its offsets and repeat marks ({@link WorkerPositions}) go into the rollups'
 * checkpoint, the same atomic file as the figures: after a SIGKILL it resumes from exactly what the figures count,
 * seeking each partition to its checkpointed offset. A trusted event a second ingest node stored again is
 * recognised by its idempotency key ({@link CountedKeys}, in the same checkpoint) and not counted again.
 * <p>
 * Partitions moving between workers: when one is taken away (a graceful rebalance), the worker checkpoints and then
 * commits its offset to Kafka with the repeat marks; the next owner starts there. On assignment a worker seeks to
 * the later of its own checkpointed offset and the group's committed one: its own when it counted further than it
 * committed (a crash between the two), the group's when another worker counted on meanwhile.
 */
public final class KafkaRollupAgent implements RestartableAgent
{
    private static final Logger LOG = LoggerFactory.getLogger("tally");
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long MAINTAIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Rollups rollups;
    private final RollupCheckpoint checkpoints;
    private final RollupDriver driver;
    private final FreeSpace freeSpace;
    private final WorkerSettings settings;
    private final WorkerReadings readings;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final EventRecordDecoder decoder = new EventRecordDecoder();
    /** A poll's records that are to be counted, kept between the checks and the counting. */
    private final List<ConsumerRecord<byte[], byte[]>> toCount = new java.util.ArrayList<>();
    private final Set<TopicPartition> assigned = new HashSet<>();
    private WorkerPositions positions;
    private CountedKeys keys;
    private KafkaConsumer<byte[], byte[]> consumer;
    private long lastCheckpointNanos;
    private long lastMaintainNanos;
    private long countedSinceCheckpoint;
    private boolean changedSinceCheckpoint;

    public KafkaRollupAgent(final Rollups rollups, final RollupCheckpoint checkpoints, final FreeSpace freeSpace,
        final WorkerSettings settings, final LongSupplier wallClock, final WorkerReadings readings)
    {
        this.rollups = rollups;
        this.checkpoints = checkpoints;
        this.driver = new RollupDriver(rollups, checkpoints, wallClock, settings.retentionDays());
        this.freeSpace = freeSpace;
        this.settings = settings;
        this.readings = readings;
    }

    @Override
    public void onStart()
    {
        final WorkerCheckpoint loaded = WorkerCheckpoint.decode(checkpoints.loadedSourcePosition(),
            settings.maxIdempotencyKeys());
        positions = loaded.positions();
        keys = loaded.keys();
        readings.keys(keys);
        lastCheckpointNanos = System.nanoTime();
        consumer = new KafkaConsumer<>(consumerProperties());
        consumer.subscribe(List.of(settings.topic()), new Rebalances());
    }

    @Override
    public int doWork()
    {
        final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        readings.polled();
        toCount.clear();
        for (final ConsumerRecord<byte[], byte[]> record : records)
        {
            select(record);
        }
        // one write lock for the poll's records, and visitors merged in sorted runs as the node's own agent does;
        // the checks above ran before it, so queries wait only for the counting
        final int counted = rollups.applyBatch(this::countSelected);
        for (final TopicPartition partition : records.partitions())
        {
            positions.offset(partition.partition(), consumer.position(partition));
        }
        countedSinceCheckpoint += records.count();
        final long now = System.nanoTime();
        if (now - lastMaintainNanos >= MAINTAIN_INTERVAL_NANOS && freeSpace.allows(driver.checkpointBytes()))
        {
            lastMaintainNanos = now;
            changedSinceCheckpoint |= driver.maintain();
        }
        if (changedSinceCheckpoint || countedSinceCheckpoint > 0 &&
            now - lastCheckpointNanos >= settings.checkpointInterval().toNanos())
        {
            checkpointAndCommit(assigned);
        }
        readings.lag(lagRecords());
        return counted;
    }

    /**
     * Keeps the record for counting unless its node sent it before, it cannot be read or its trusted event was
     * stored by another node too; marks it handled either way.
     */
    private void select(final ConsumerRecord<byte[], byte[]> record)
    {
        final int partition = record.partition();
        final String node = ClusterRecords.node(record.headers());
        final long index = ClusterRecords.journalIndex(record.headers());
        if (node == null || index < 0 || record.value() == null)
        {
            readings.foreign();
            return;
        }
        if (positions.isRepeat(partition, node, index))
        {
            readings.repeat();
            return;
        }
        view.wrap(record.value());
        // a backfilled conversion counts the goal under its event's visitor and session (DayCube), as at the node
        if (!decoder.wrapWithBackfills(view, 0, record.value().length))
        {
            readings.unreadable();
            positions.counted(partition, node, index);
            return;
        }
        if (keys.isDuplicate(decoder))
        {
            // the same trusted event stored again by another node: its idempotency key was counted
            positions.counted(partition, node, index);
            return;
        }
        // marked now, so that the same record later in this poll is a repeat; if the counting then fails, the
        // agent is abandoned and a fresh one resumes from the checkpoint, marks and figures together
        positions.counted(partition, node, index);
        readings.counted();
        toCount.add(record);
    }

    /** Counts the kept records into {@code sink} (under the rollups' write lock); returns how many. */
    private int countSelected(final JournalReader.RecordHandler sink)
    {
        for (final ConsumerRecord<byte[], byte[]> record : toCount)
        {
            view.wrap(record.value());
            decoder.wrapWithBackfills(view, 0, record.value().length);
            sink.onRecord(-1, decoder); // -1: the worker's figures cover no index of its own journal
        }
        return toCount.size();
    }

    /** Checkpoints figures and positions together, then tells the group how far {@code partitions} are counted. */
    private void checkpointAndCommit(final Collection<TopicPartition> partitions)
    {
        if (!freeSpace.allows(driver.checkpointBytes()))
        {
            return; // tried again next time: the figures in memory stay right
        }
        driver.checkpoint(new WorkerCheckpoint(positions, keys).encode());
        lastCheckpointNanos = System.nanoTime();
        countedSinceCheckpoint = 0;
        changedSinceCheckpoint = false;
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (final TopicPartition partition : partitions)
        {
            final long offset = positions.offset(partition.partition());
            if (offset >= 0)
            {
                offsets.put(partition, new OffsetAndMetadata(offset, positions.metadata(partition.partition())));
            }
        }
        if (offsets.isEmpty())
        {
            return;
        }
        try
        {
            consumer.commitSync(offsets); // only where the next owner of a partition starts: the checkpoint is the truth
        }
        catch (final KafkaException ex)
        {
            LOG.warn("worker: committing offsets to Kafka failed, tried again at the next checkpoint: {}", ex.getMessage());
        }
    }

    /** Records in the assigned partitions not counted yet, as the consumer last saw the partitions' ends. */
    private long lagRecords()
    {
        long lag = 0;
        for (final TopicPartition partition : assigned)
        {
            final java.util.OptionalLong behind = consumer.currentLag(partition);
            lag += behind.orElse(0);
        }
        return lag;
    }

    /** Where each partition given to this worker starts, and the hand-over of each taken away. */
    private final class Rebalances implements ConsumerRebalanceListener
    {
        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
        {
            if (partitions.isEmpty())
            {
                return;
            }
            final Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            for (final TopicPartition partition : partitions)
            {
                final long own = positions.offset(partition.partition());
                final OffsetAndMetadata group = committed.get(partition);
                if (group != null && group.offset() > own)
                {
                    positions.adopt(partition.partition(), group.offset(), group.metadata());
                    consumer.seek(partition, group.offset());
                }
                else if (own >= 0)
                {
                    consumer.seek(partition, own);
                }
                else
                {
                    consumer.seekToBeginning(List.of(partition));
                }
            }
            assigned.addAll(partitions);
            readings.assigned(assigned);
            LOG.info("worker {}: counting partitions {}", settings.workerId(), partitions);
        }

        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
        {
            if (!partitions.isEmpty())
            {
                checkpointAndCommit(partitions);
            }
            assigned.removeAll(partitions);
            readings.assigned(assigned);
        }

        @Override
        public void onPartitionsLost(final Collection<TopicPartition> partitions)
        {
            assigned.removeAll(partitions);
            readings.assigned(assigned);
            LOG.warn("worker {}: partitions {} lost to the group (this worker was silent too long)", settings.workerId(), partitions);
        }
    }

    private Properties consumerProperties()
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        properties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.workerId());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "tally-worker-" + settings.workerId());
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(settings.sessionTimeout().toMillis()));
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "4096");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }

    @Override
    public void onClose()
    {
        try
        {
            checkpointAndCommit(assigned);
        }
        finally
        {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void abandon()
    {
        if (consumer != null)
        {
            consumer.close(Duration.ZERO);
        }
    }

    @Override
    public String roleName()
    {
        return "tally-worker";
    }
}
