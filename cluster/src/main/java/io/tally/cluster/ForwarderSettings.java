package io.tally.cluster;

import java.time.Duration;

/**
 * How an ingest node forwards its journal: the brokers, the topic, the node's id (its transactional id and the
 * records' node header), and how long to wait for the brokers before a try counts as failed.
 */
public record ForwarderSettings(String bootstrap, String topic, String nodeId, Duration brokerWait, Duration maxBackoff)
{
    public static final String DEFAULT_TOPIC = "tally-events";
    public static final Duration DEFAULT_BROKER_WAIT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

    public ForwarderSettings
    {
        if (bootstrap == null || bootstrap.isBlank())
        {
            throw new IllegalArgumentException("--kafka-bootstrap needs HOST:PORT[,HOST:PORT...]");
        }
        if (topic == null || topic.isBlank())
        {
            throw new IllegalArgumentException("--kafka-topic must not be empty");
        }
        NodeId.check(nodeId);
    }
}
