package io.tally.cluster;

import io.tally.codec.EventRecordDecoder;
import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.state.StateFiles;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tails the local journal and produces each record to the cluster's topic, on a thread of its own (never in the
 * request path: ingest answers 202 once journaled, whatever the brokers do). A batch of records goes in one Kafka
 * transaction (an idempotent producer, acks=all, this node's transactional id); once it commits, the journal index
 * it reached is checkpointed. A broker that is down makes this wait: each try is bounded by {@code brokerWait},
 * then the producer is closed and made again after a backoff (doubling up to {@code maxBackoff}), from the
 * checkpoint; meanwhile the journal holds the events and the lag grows ({@code tally_forward_lag_records}).
 * <p>
 * After a restart (or a failed try) the records after the checkpoint are sent again; those of a transaction that
 * did commit are then in the topic twice, and workers count them once: per partition and node they keep the
 * highest journal index counted and skip any record at or below it. That is exact because transactions commit in
 * journal order and a read_committed consumer sees no aborted record, so what a worker saw of a node in a
 * partition is always every record up to some index.
 */
public final class JournalForwarder implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger("tally");
    /** Records per transaction at most: one commit (a round trip and an fsync on the brokers) per batch. */
    static final int BATCH = 2048;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final Journal journal;
    private final ForwarderCheckpoint checkpoint;
    private final ForwarderSettings settings;
    private final byte[] nodeHeader;
    private final Thread thread;
    private final List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>(BATCH);
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long lastForwardedIndex;
    private volatile boolean connected;
    private volatile String lastError;
    private volatile boolean running = true;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean committedThisTry;

    public JournalForwarder(final Journal journal, final StateFiles files, final ForwarderSettings settings)
    {
        this.journal = journal;
        this.checkpoint = new ForwarderCheckpoint(files);
        this.settings = settings;
        this.nodeHeader = settings.nodeId().getBytes(StandardCharsets.UTF_8);
        this.lastForwardedIndex = checkpoint.load();
        this.thread = new Thread(this::run, "tally-forwarder");
        this.thread.setDaemon(true);
    }

    /** Starts forwarding on its own thread. */
    public JournalForwarder start()
    {
        thread.start();
        return this;
    }

    private void run()
    {
        Duration backoff = FIRST_BACKOFF;
        while (running)
        {
            committedThisTry = false;
            try
            {
                forwardUntilStopped();
            }
            catch (final RuntimeException ex)
            {
                if (!running)
                {
                    break;
                }
                if (committedThisTry)
                {
                    backoff = FIRST_BACKOFF; // it worked for a while: a new outage starts from a short wait again
                }
                failures.incrementAndGet();
                lastError = ex.getClass().getSimpleName() + ": " + ex.getMessage();
                LOG.warn("forwarding to Kafka paused, tried again in {} ms: {}", backoff.toMillis(), lastError);
            }
            finally
            {
                connected = false;
                closeProducer(Duration.ZERO);
            }
            sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : backoff.multipliedBy(2);
        }
    }

    /** One try: a producer, then batches from the checkpoint on until stopped or something fails. */
    private void forwardUntilStopped()
    {
        producer = new KafkaProducer<>(producerProperties());
        producer.initTransactions(); // fences an earlier producer of this node, aborts its open transaction
        connected = true;
        lastError = null;
        // backfilled conversions too: the workers count a goal backfill run on this node as its own rollups would
        try (JournalReader reader = journal.newReader().withBackfills())
        {
            positionAfter(reader, lastForwardedIndex);
            while (running)
            {
                batch.clear();
                final int read = reader.read(this::collect, BATCH);
                if (read == 0)
                {
                    sleep(Duration.ofMillis(5));
                    continue;
                }
                if (!batch.isEmpty())
                {
                    send();
                }
                committedThisTry = true;
                lastForwardedIndex = reader.lastReadIndex();
                checkpoint.write(lastForwardedIndex);
                forwarded.addAndGet(batch.size());
            }
        }
    }

    private void send()
    {
        producer.beginTransaction();
        for (final ProducerRecord<byte[], byte[]> record : batch)
        {
            producer.send(record);
        }
        producer.commitTransaction(); // throws when any send failed: nothing of the batch is then visible
    }

    private void collect(final long index, final EventRecordDecoder record)
    {
        final ProducerRecord<byte[], byte[]> message = new ProducerRecord<>(settings.topic(), ClusterRecords.key(record),
            ClusterRecords.value(record));
        message.headers().add(new RecordHeader(ClusterRecords.NODE_HEADER, nodeHeader));
        message.headers().add(new RecordHeader(ClusterRecords.INDEX_HEADER, ClusterRecords.index(index)));
        batch.add(message);
    }

    private static void positionAfter(final JournalReader reader, final long index)
    {
        if (index < 0)
        {
            return;
        }
        if (!reader.moveTo(index) || reader.read((i, record) -> { }, 1) != 1)
        {
            throw new IllegalStateException("the forwarder checkpoint names journal index " + index +
                ", which the journal does not have");
        }
    }

    private Properties producerProperties()
    {
        final Properties properties = new Properties();
        properties.putAll(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tally-forwarder-" + settings.nodeId(),
            ProducerConfig.LINGER_MS_CONFIG, "5",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(settings.brokerWait().toMillis()),
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(settings.brokerWait().toMillis()),
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(settings.brokerWait().toMillis() * 3)));
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "tally-forwarder-" + settings.nodeId());
        // a batch's first sends may reach a partition before the previous commit's markers (CONCURRENT_TRANSACTIONS,
        // retried): a short backoff keeps that from adding the default 100 ms to the forwarding delay
        properties.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "10");
        return properties;
    }

    private void closeProducer(final Duration wait)
    {
        if (producer != null)
        {
            try
            {
                producer.close(wait);
            }
            catch (final RuntimeException ex)
            {
                LOG.debug("closing the Kafka producer: {}", ex.getMessage());
            }
            producer = null;
        }
    }

    private static void sleep(final Duration duration)
    {
        try
        {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Journal records not yet acknowledged by the brokers: the forwarding lag. */
    /** The last journal index forwarded (committed in Kafka and checkpointed), -1 when none yet. */
    public long lastForwardedIndex()
    {
        return lastForwardedIndex;
    }

    public long lagRecords()
    {
        return journal.countAfter(lastForwardedIndex);
    }

    public long forwardedRecords()
    {
        return forwarded.get();
    }

    public long failures()
    {
        return failures.get();
    }

    /** The section {@code /healthz} shows. */
    public Map<String, Object> health()
    {
        final Map<String, Object> health = new java.util.LinkedHashMap<>();
        health.put("node_id", settings.nodeId());
        health.put("topic", settings.topic());
        health.put("connected", connected);
        health.put("lag_records", lagRecords());
        health.put("forwarded_records", forwarded.get());
        health.put("failures", failures.get());
        health.put("last_error", lastError);
        return health;
    }

    /**
     * Stops forwarding: the batch in flight finishes (or fails and is sent again at the next start). Waits at most
     * the broker wait for it.
     */
    @Override
    public void close()
    {
        running = false; // not an interrupt: it would close the checkpoint's file channel mid-write
        try
        {
            thread.join(settings.brokerWait().toMillis() + 1000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
