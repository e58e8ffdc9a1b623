package io.tally.notify;

import java.time.Duration;

/**
 * How conversions are notified.
 *
 * @param webhookSecret HMAC-SHA256 key of webhook signatures; null: the one in {@code DATA_DIR/webhook-secret},
 *                      made at first start.
 * @param smtpHost      SMTP server for email recipients; null: email recipients cannot be told (counted as
 *                      failures, then dropped).
 * @param smtpPort      its port.
 * @param smtpFrom      the From address.
 * @param smtpUser      login, or null for none.
 * @param smtpPassword  password of the login.
 * @param smtpStartTls  whether to require STARTTLS.
 * @param maxAttempts   attempts per delivery before it is dropped (counted).
 * @param retryBase     wait before the first retry; it doubles with each attempt, up to five minutes.
 * @param maxPending    deliveries in flight or waiting for a retry at most; past it the tailer stops reading the
 *                      journal (which keeps everything) until some complete.
 * @param timeout       connect and answer timeout of one attempt.
 */
public record NotifierConfig(String webhookSecret, String smtpHost, int smtpPort, String smtpFrom, String smtpUser,
    String smtpPassword, boolean smtpStartTls, int maxAttempts, Duration retryBase, int maxPending, Duration timeout)
{
    public static final NotifierConfig DEFAULTS = new NotifierConfig(null, null, 25, "tally@localhost", null, null, false, 8,
        Duration.ofSeconds(1), 10_000, Duration.ofSeconds(10));

    public NotifierConfig
    {
        if (maxAttempts < 1 || maxPending < 1 || retryBase.isNegative() || timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("notification attempts, pending and timeout must be positive");
        }
    }
}
