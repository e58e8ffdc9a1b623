package io.tally.cluster;

import java.time.Duration;

/**
 * How a rollup worker consumes: the brokers, the topic, the consumer group, its id (its static membership in the
 * group: restarted within {@code sessionTimeout} it gets its partitions back without a rebalance), and how often
 * it checkpoints; {@code maxIdempotencyKeys}: the trusted events' keys it remembers to count each event once
 * ({@link CountedKeys}).
 */
public record WorkerSettings(String bootstrap, String topic, String group, String workerId, Duration sessionTimeout,
    Duration checkpointInterval, int retentionDays, int maxIdempotencyKeys)
{
    public static final String DEFAULT_GROUP = "tally-workers";

    public WorkerSettings
    {
        if (bootstrap == null || bootstrap.isBlank())
        {
            throw new IllegalArgumentException("a worker needs --kafka-bootstrap HOST:PORT[,HOST:PORT...]");
        }
        if (topic == null || topic.isBlank() || group == null || group.isBlank())
        {
            throw new IllegalArgumentException("--kafka-topic and --kafka-group must not be empty");
        }
        NodeId.check(workerId);
        if (maxIdempotencyKeys < 1)
        {
            throw new IllegalArgumentException("--max-idempotency-keys must be at least 1");
        }
    }
}
