package io.tally.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts a conversion's JSON to a webhook URL, signed: {@code Tally-Signature: t=<unix seconds>,v1=<hex>} where
 * {@code v1} is HMAC-SHA256, keyed with the webhook secret, of {@code <t>.<body>} (the timestamp, a dot, the
 * exact body bytes), so a receiver can check both origin and freshness. {@code Tally-Event-Id} repeats the
 * body's {@code event_id} for deduplication. Any 2xx answer is success; everything else (other statuses,
 * timeouts, refused connections) is a failure to retry.
 */
final class WebhookSender
{
    static final String SIGNATURE_HEADER = "Tally-Signature";
    static final String EVENT_ID_HEADER = "Tally-Event-Id";

    private final HttpClient client;
    private final byte[] secret;
    private final Duration timeout;

    WebhookSender(final byte[] secret, final Duration timeout, final ExecutorService executor)
    {
        this.secret = secret.clone();
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).executor(executor)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Starts one attempt; {@code done} gets null on success, else what went wrong, on another thread. */
    void send(final String url, final long eventId, final String json, final long nowMillis,
        final BiConsumer<String, Throwable> done)
    {
        final HttpRequest request;
        try
        {
            final long seconds = nowMillis / 1000;
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Tally-Webhook/1")
                .header(EVENT_ID_HEADER, Long.toString(eventId))
                .header(SIGNATURE_HEADER, "t=" + seconds + ",v1=" + sign(secret, seconds, json))
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        }
        catch (final IllegalArgumentException ex)
        {
            done.accept("bad webhook URL: " + ex.getMessage(), null);
            return;
        }
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) ->
        {
            if (error != null)
            {
                done.accept(String.valueOf(error.getMessage()), error);
            }
            else if (response.statusCode() / 100 != 2)
            {
                done.accept("answered " + response.statusCode(), null);
            }
            else
            {
                done.accept(null, null);
            }
        });
    }

    /** The hex HMAC-SHA256 of {@code <seconds>.<body>}: what {@code v1} of the signature header carries. */
    static String sign(final byte[] secret, final long seconds, final String body)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((seconds + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
        }
    }
}
