package io.tally.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.tally.codec.json.Json;
import io.tally.engine.Engine;
import io.tally.engine.metrics.MetricsHttpTest;
import io.tally.matcher.Goal;
import io.tally.matcher.GoalJson;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conversion notifications from the real engine to a real HTTP receiver (the JDK's server) and a real SMTP server
 * (GreenMail), both started here: signed webhooks, email, retries, restarts without duplicates, a dead receiver.
 */
class NotificationsTest
{
    private static final String SECRET = "whsec_test";
    /** How long to wait for something asynchronous to arrive; a deadline, not a measurement. */
    private static final long WAIT_SECONDS = 20;

    @TempDir
    Path dataDir;
    private HttpServer receiver;
    private GreenMail smtp;
    private final BlockingQueue<Received> webhooks = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresToAnswer = new AtomicInteger();

    private record Received(Map<String, List<String>> headers, String body)
    {
        String header(final String name)
        {
            return headers.get(name) == null ? null : headers.get(name).get(0);
        }
    }

    @BeforeEach
    void startReceivers() throws IOException
    {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receiver.createContext("/hook", exchange ->
        {
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            final boolean fail = failuresToAnswer.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (!fail)
            {
                webhooks.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
            }
            exchange.sendResponseHeaders(fail ? 500 : 204, -1);
            exchange.close();
        });
        receiver.start();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
    }

    @AfterEach
    void stopReceivers()
    {
        receiver.stop(0);
        smtp.stop();
    }

    private String hookUrl()
    {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    /** The goal, told to the webhook and the inbox; told to nobody when {@code webhookUrl} is null. */
    private static Goal purchaseGoal(final String webhookUrl)
    {
        return GoalJson.read(Json.parse("{\"name\":\"Purchase\",\"type\":\"custom\",\"value\":{\"amount\":5}," +
            "\"fire\":\"always\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Purchase\"}]" +
            (webhookUrl == null ? "}" : ",\"notify\":[{\"channel\":\"webhook\",\"target\":\"" + webhookUrl + "\"}," +
            "{\"channel\":\"email\",\"target\":\"owner@shop.example\"}]}")));
    }

    private TestEngine start(final String webhookUrl, final int maxAttempts)
    {
        final Goal goal = purchaseGoal(webhookUrl);
        final NotifierConfig notifications = new NotifierConfig(SECRET, "127.0.0.1", smtp.getSmtp().getPort(),
            "tally@shop.example", null, null, false, maxAttempts, Duration.ofMillis(20), 100, Duration.ofSeconds(5));
        return TestEngine.start(dataDir, b -> b.goals(Map.of("shop.example", List.of(goal))),
            engine -> startNotifier(engine, notifications));
    }

    /** The notifier beside the engine, shown in its reports, as {@code tally serve} makes it. */
    private static Notifier startNotifier(final Engine engine, final NotifierConfig config)
    {
        final Notifier notifier = new Notifier(config, engine.stateFiles(), engine.journal(), engine.goals(), engine.clock());
        notifier.reportTo(engine.reportedParts());
        return notifier;
    }

    private static NotificationCounters counters(final TestEngine engine)
    {
        return ((Notifier)engine.beside()).counters();
    }

    private static void purchase(final TestEngine engine, final String userAgent) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/done?utm_source=News\"," +
                    "\"r\":\"https://www.news.example/a\",\"ra\":29.99,\"rc\":\"EUR\"}", "User-Agent: " + userAgent));
            assertEquals(202, answer.status());
        }
    }

    @Test
    void aConversionReachesTheWebhookSignedAndTheInbox() throws Exception
    {
        try (TestEngine engine = start(hookUrl(), 3))
        {
            purchase(engine, "browser/1");
            final Received hook = webhooks.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(hook, "the webhook was called");
            final Map<String, Object> body = Json.parseObject(hook.body());
            final Map<String, Object> record = engine.dump().get(0);
            assertEquals(record.get("index").toString(), body.get("event_id"));
            assertEquals(body.get("event_id"), hook.header("Tally-event-id"));
            assertEquals("Purchase", body.get("goal"));
            assertEquals("shop.example", body.get("site"));
            assertEquals(record.get("ts"), body.get("ts"));
            assertEquals(Map.of("amount", "5", "currency", "USD"), body.get("value"));
            assertEquals(Map.of("amount", "29.99", "currency", "EUR"), body.get("revenue"));
            assertEquals("https://shop.example/done?utm_source=News", body.get("page"));
            final Map<?, ?> source = (Map<?, ?>)body.get("source");
            assertEquals("news.example", source.get("referrer"));
            assertEquals("news", source.get("utm_source"));

            final String signature = hook.header("Tally-signature");
            assertTrue(signature.matches("t=\\d+,v1=[0-9a-f]{64}"), signature);
            final long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
            assertEquals("v1=" + hmacHex(SECRET, t + "." + hook.body()), signature.substring(signature.indexOf(',') + 1),
                "HMAC-SHA256 of '<t>.<body>' with the webhook secret");

            assertTrue(smtp.waitForIncomingEmail(TimeUnit.SECONDS.toMillis(WAIT_SECONDS), 1), "the email arrived");
            final MimeMessage mail = smtp.getReceivedMessages()[0];
            assertEquals("[Tally] Purchase converted on shop.example", mail.getSubject());
            assertEquals("owner@shop.example", mail.getAllRecipients()[0].toString());
            final String text = GreenMailUtil.getBody(mail);
            assertTrue(text.contains("29.99 EUR"), text);
            assertTrue(text.contains("https://shop.example/done?utm_source=News"), text);

            // each channel counts a delivery once its answer is read, after the receiver has it: wait for both
            await(() -> counters(engine).sent("email") == 1 && counters(engine).sent("webhook") == 1);
            assertTrue(engine.call("GET", "/metrics", null, null).body()
                .contains("tally_notifications_sent_total{channel=\"webhook\"} 1.0"));

            // /healthz shows the tailer caught up with the journal; one that has read nothing is behind by all of it
            await(() ->
            {
                final Map<?, ?> notifications;
                try
                {
                    notifications = (Map<?, ?>)engine.health().get("notifications");
                }
                catch (final IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
                return ((Number)notifications.get("lag_events")).longValue() == 0 &&
                    ((Number)notifications.get("records_read")).longValue() == 1 &&
                    ((Number)notifications.get("pending")).longValue() == 0;
            });
            assertEquals(1L, new NotificationCounters().behind(engine.engine().journal()));
        }
    }

    @Test
    void aRestartSendsNothingTwiceAndMissesNothing() throws Exception
    {
        try (TestEngine engine = start(hookUrl(), 3))
        {
            purchase(engine, "browser/1");
            assertNotNull(webhooks.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(smtp.waitForIncomingEmail(TimeUnit.SECONDS.toMillis(WAIT_SECONDS), 1));
            final NotificationCounters counters = counters(engine);
            await(() -> counters.sent("webhook") == 1 && counters.sent("email") == 1);
        }
        try (TestEngine engine = start(hookUrl(), 3))
        {
            purchase(engine, "browser/2");
            final Received next = webhooks.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(next);
            final List<Map<String, Object>> records = engine.dump();
            assertEquals(records.get(1).get("index").toString(), Json.parseObject(next.body()).get("event_id"),
                "the tailer resumed after the first conversion: the next call is the second one, not the first again");
            assertTrue(smtp.waitForIncomingEmail(TimeUnit.SECONDS.toMillis(WAIT_SECONDS), 2));
            await(() -> counters(engine).sent("email") == 1);
        }
        assertNull(webhooks.poll(200, TimeUnit.MILLISECONDS), "nothing else was sent");
        assertEquals(2, smtp.getReceivedMessages().length);
    }

    @Test
    void aDamagedCheckpointIsSetAsideAndTheTailerResumesAtTheJournalsEndSendingNothingAgain() throws Exception
    {
        try (TestEngine engine = start(hookUrl(), 3))
        {
            purchase(engine, "browser/1");
            assertNotNull(webhooks.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            await(() -> counters(engine).sent("email") == 1);
        }
        final Path checkpoint = dataDir.resolve(NotificationAgent.CHECKPOINT_FILE);
        Files.writeString(checkpoint, "{\"inclusive\":false}\n");
        try (TestEngine engine = start(hookUrl(), 3))
        {
            await(() -> !engine.engine().stateFiles().setAside().isEmpty());
            assertEquals(List.of(NotificationAgent.CHECKPOINT_FILE), engine.engine().stateFiles().setAside().stream()
                .map(aside -> aside.file()).toList());
            purchase(engine, "browser/2");
            final Received next = webhooks.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(next);
            assertEquals(engine.dump().get(1).get("index").toString(), Json.parseObject(next.body()).get("event_id"),
                "the first conversion is not announced again: the tailer began at the journal's end");
        }
        assertNull(webhooks.poll(200, TimeUnit.MILLISECONDS), "nothing else was sent");
    }

    @Test
    void withNobodyToTellTheJournalIsNotReadAndARecipientAddedLaterHearsOfLaterConversionsOnly() throws Exception
    {
        try (TestEngine engine = start(null, 3))
        {
            for (int i = 0; i < 3; i++)
            {
                purchase(engine, "browser/" + i);
            }
            final String lastIndex = engine.dump().get(2).get("index").toString();
            final Path checkpoint = dataDir.resolve(NotificationAgent.CHECKPOINT_FILE);
            await(() -> checkpointIndex(checkpoint).equals(lastIndex));
            assertEquals(0, counters(engine).recordsRead(), "the position followed the journal's end without reading it");

            engine.engine().goals().replace("shop.example", "Purchase", purchaseGoal(hookUrl()));
            purchase(engine, "browser/3");
            final Received hook = webhooks.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(hook, "the conversion after the recipient was added is announced");
            assertEquals(engine.dump().get(3).get("index").toString(), Json.parseObject(hook.body()).get("event_id"));
            await(() -> counters(engine).sent("webhook") == 1 && counters(engine).sent("email") == 1);
            assertTrue(counters(engine).recordsRead() >= 1);
            assertTrue(engine.call("GET", "/metrics", null, null).body().contains("tally_notifications_records_read_total"));
        }
        assertNull(webhooks.poll(200, TimeUnit.MILLISECONDS), "the three earlier conversions were not announced");
        assertEquals(1, smtp.getReceivedMessages().length);
    }

    /** The journal index in the notifier's checkpoint (its JSON, before the seal the state files add). */
    private static String checkpointIndex(final Path checkpoint)
    {
        try
        {
            final String text = Files.readString(checkpoint, StandardCharsets.ISO_8859_1);
            return String.valueOf(Json.parseObject(text.substring(0, text.indexOf('}') + 1)).get("index"));
        }
        catch (final IOException | RuntimeException notYet)
        {
            return "";
        }
    }

    @Test
    void aFailedAttemptIsRetriedUntilTheReceiverTakesIt() throws Exception
    {
        failuresToAnswer.set(2);
        try (TestEngine engine = start(hookUrl(), 3))
        {
            purchase(engine, "browser/1");
            final Received hook = webhooks.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(hook, "delivered on the third attempt, the last allowed");
            final NotificationCounters counters = counters(engine);
            await(() -> counters.sent("webhook") == 1);
            assertEquals(2, counters.failed("webhook"));
            assertEquals(0, counters.dropped("webhook"));
        }
    }

    @Test
    void aDeadReceiverIsGivenUpOnAndCountedWhileIngestGoesOn() throws Exception
    {
        final int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            deadPort = socket.getLocalPort();
        }
        try (TestEngine engine = start("http://127.0.0.1:" + deadPort + "/hook", 2))
        {
            for (int i = 0; i < 5; i++)
            {
                purchase(engine, "browser/" + i);
            }
            final NotificationCounters counters = counters(engine);
            await(() -> counters.dropped("webhook") == 5);
            assertEquals(10, counters.failed("webhook"), "two attempts each");
            assertEquals(0, counters.sent("webhook"));
            await(() -> counters.pending() == 0);
            assertEquals(5, engine.dump().size(), "every beacon was taken");
            assertTrue(smtp.waitForIncomingEmail(TimeUnit.SECONDS.toMillis(WAIT_SECONDS), 5), "email is not held up by the webhook");
            final Map<String, Object> metrics = Map.copyOf(MetricsHttpTest.samples(engine.call("GET", "/metrics", null, null).body()));
            assertEquals(5.0, metrics.get("tally_notifications_dropped_total{channel=\"webhook\"}"));
        }
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "condition not met in time");
            Thread.sleep(10);
        }
    }

    private static String hmacHex(final String secret, final String text) throws Exception
    {
        final javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
