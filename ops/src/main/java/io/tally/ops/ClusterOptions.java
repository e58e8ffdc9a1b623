package io.tally.ops;

import io.tally.cluster.ClusterStats;
import io.tally.cluster.ForwarderMetrics;
import io.tally.cluster.ForwarderSettings;
import io.tally.cluster.JournalForwarder;
import io.tally.cluster.NodeId;
import io.tally.cluster.WorkerAdmin;
import io.tally.cluster.WorkerSettings;
import io.tally.engine.Engine;

import java.time.Duration;
import java.util.List;

/** The cluster flags of {@code serve} (forwarding the journal to Kafka) and of {@code worker}. */
final class ClusterOptions
{
    static final Option KAFKA_BOOTSTRAP = Option.of("--kafka-bootstrap", "kafka_bootstrap", null,
        "Kafka brokers HOST:PORT,...; serve forwards its journal there, a worker consumes from there (none: one node)");
    static final Option KAFKA_TOPIC = Option.of("--kafka-topic", "kafka_topic", ForwarderSettings.DEFAULT_TOPIC,
        "the topic ingest nodes forward to and workers consume");
    static final Option NODE_ID = Option.of("--node-id", "node_id", null,
        "this node's (or worker's) name in the cluster; none: made at first start, kept in DATA_DIR/node-id");
    static final Option KAFKA_GROUP = Option.of("--kafka-group", "kafka_group", WorkerSettings.DEFAULT_GROUP,
        "the consumer group of the rollup workers");
    static final Option KAFKA_SESSION_TIMEOUT = Option.of("--kafka-session-timeout", "kafka_session_timeout", "45",
        "seconds a worker may be gone (a restart) before its partitions are given to the others");
    static final Option PEERS = Option.repeatable("--peers", "peers", null,
        "the other workers HOST:PORT,...: a stats request here answers for the whole cluster");

    /** The flags serve adds. */
    static final List<Option> SERVE = List.of(KAFKA_BOOTSTRAP, KAFKA_TOPIC, NODE_ID);
    /** The flags worker adds to serve's. */
    static final List<Option> WORKER = List.of(KAFKA_GROUP, KAFKA_SESSION_TIMEOUT, PEERS);

    static final String NODE_ID_FILE = "node-id";

    private ClusterOptions()
    {
    }

    /** Kafka's clients log their whole configuration at info: Tally's log keeps their warnings only (unless set). */
    static void quietKafkaLogs()
    {
        if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null)
        {
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        }
    }

    /** The forwarder when {@code --kafka-bootstrap} is set, started and shown in the engine's reports; else null. */
    static JournalForwarder startForwarder(final Engine engine, final Settings settings)
    {
        final String bootstrap = settings.value(KAFKA_BOOTSTRAP);
        if (bootstrap == null || bootstrap.isBlank())
        {
            return null;
        }
        quietKafkaLogs();
        final ForwarderSettings forwarding;
        try
        {
            forwarding = new ForwarderSettings(bootstrap.trim(), settings.value(KAFKA_TOPIC).trim(),
                NodeId.resolve(settings.value(NODE_ID), engine.stateFiles(), NODE_ID_FILE, "node-"),
                ForwarderSettings.DEFAULT_BROKER_WAIT, ForwarderSettings.DEFAULT_MAX_BACKOFF);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
        final JournalForwarder forwarder = new JournalForwarder(engine.journal(), engine.stateFiles(), forwarding);
        // days not forwarded yet exist nowhere else: the journal's retention keeps them
        engine.journalRetention().hold(forwarder::lastForwardedIndex);
        forwarder.start();
        engine.reportedParts().addMetrics(new ForwarderMetrics(forwarder));
        engine.reportedParts().addHealth("forwarding", forwarder::health);
        return forwarder;
    }

    /**
     * What the worker's server is handed: the engine's services without ingest (events are refused), site and goal
     * changes refused ({@link WorkerAdmin}), and with {@code --peers} the stats API answering for its peers too.
     */
    static io.tally.engine.http.ServerServices workerServices(final Engine engine, final Settings settings)
    {
        final List<String> peers = settings.values(PEERS);
        for (final String peer : peers)
        {
            if (!peer.matches("[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}"))
            {
                throw new UsageException("--peers takes HOST:PORT,...: '" + peer + "'");
            }
        }
        final WorkerAdmin admin = new WorkerAdmin();
        final ClusterStats stats = peers.isEmpty() ? null : new ClusterStats(peers);
        return engine.serverServices().withoutIngest()
            .withApiFront(local -> stats == null ? admin.apply(local) : stats.apply(admin.apply(local)));
    }

    static WorkerSettings workerSettings(final Settings settings, final String workerId, final Duration checkpointInterval,
        final int retentionDays, final int maxIdempotencyKeys)
    {
        try
        {
            return new WorkerSettings(settings.value(KAFKA_BOOTSTRAP), settings.value(KAFKA_TOPIC).trim(),
                settings.value(KAFKA_GROUP).trim(), workerId, Duration.ofSeconds(settings.intValue(KAFKA_SESSION_TIMEOUT)),
                checkpointInterval, retentionDays, maxIdempotencyKeys);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
    }
}
