package io.tally.engine;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.codec.json.Json;
import io.tally.matcher.Goal;
import io.tally.store.AtomicFiles;
import io.tally.store.Journal;
import io.tally.store.JournalReader;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Tails the journal on a thread of its own and tells each converting event's goal's recipients: webhooks
 * ({@link WebhookSender}) and email ({@link MailSender}). Nothing here touches the request path: a slow or
 * dead receiver only delays this thread's own work.
 * <p>
 * Delivery is at least once. Each delivery is retried with exponential backoff ({@code retryBase}, doubling, at
 * most five minutes apart) up to {@code maxAttempts}, then dropped and counted. At most {@code maxPending}
 * deliveries are in flight or waiting; past that the tailer stops reading the journal (which keeps everything)
 * until some complete, so memory stays bounded and nothing is lost while the receivers are merely slow.
 * <p>
 * A checkpoint ({@code DATA_DIR/notifications.ckpt}, replaced atomically) says where to resume: after the last
 * record read when nothing is pending, else at the oldest record with a pending delivery. So a restart sends
 * nothing twice in the normal case (receivers up: in-flight deliveries are awaited at close), and after a
 * restart with deliveries still pending it resends from the oldest of them. At the very first start it begins at
 * the end of the journal: past conversions are not announced.
 */
final class NotificationAgent implements Agent
{
    static final String CHECKPOINT_FILE = "notifications.ckpt";
    static final int WEBHOOK = 0;
    static final int EMAIL = 1;
    static final String[] CHANNELS = {"webhook", "email"};

    private static final Logger LOG = LoggerFactory.getLogger("tally");
    private static final int BATCH = 256;
    private static final long CHECKPOINT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long PARK_WHILE_CLOSING_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Journal journal;
    private final GoalBook goals;
    private final NotifierConfig config;
    private final Path checkpointFile;
    private final WebhookSender webhooks;
    private final MailSender mail;
    private final NotificationCounters counters;
    private final LongSupplier clock;
    private final Queue<Delivery> completed = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Delivery> retries = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
    private final Queue<Delivery> fresh = new ArrayDeque<>();
    private final TreeMap<Long, Integer> pendingByIndex = new TreeMap<>();
    private final JournalReader.RecordHandler onRecord = this::onRecord;
    private JournalReader reader;
    private long position = -1;
    private boolean positioned;
    private boolean positionInclusive;
    private int inFlight;
    private int pending;
    private boolean dirty;
    private long lastCheckpointNanos;

    /** One message to one recipient about one conversion. */
    private static final class Delivery
    {
        final long index;
        final int channel;
        final String target;
        final ConversionNotice notice;
        int attempts;
        long dueNanos;
        String failure;

        Delivery(final long index, final int channel, final String target, final ConversionNotice notice)
        {
            this.index = index;
            this.channel = channel;
            this.target = target;
            this.notice = notice;
        }
    }

    NotificationAgent(final Journal journal, final GoalBook goals, final NotifierConfig config, final Path dataDir,
        final WebhookSender webhooks, final MailSender mail, final NotificationCounters counters, final LongSupplier clock)
    {
        this.journal = journal;
        this.goals = goals;
        this.config = config;
        this.checkpointFile = dataDir.resolve(CHECKPOINT_FILE);
        this.webhooks = webhooks;
        this.mail = mail;
        this.counters = counters;
        this.clock = clock;
    }

    @Override
    public void onStart()
    {
        reader = journal.newReader();
        final Map<String, Object> checkpoint = readCheckpoint(checkpointFile);
        if (checkpoint == null)
        {
            reader.moveToEnd();
            position = journal.lastIndex();
            positioned = true;
            writeCheckpoint();
            return;
        }
        final long index = ((Number)checkpoint.get("index")).longValue();
        final boolean inclusive = Boolean.TRUE.equals(checkpoint.get("inclusive"));
        if (index >= 0 && (!reader.moveTo(index) || (!inclusive && reader.read((i, r) -> { }, 1) != 1)))
        {
            LOG.warn("notifications: the checkpoint's journal index {} is gone; resuming at the end of the journal", index);
            reader.moveToEnd();
            position = journal.lastIndex();
            positioned = true;
            return;
        }
        position = index;
        positionInclusive = inclusive;
        positioned = true;
    }

    @Override
    public int doWork()
    {
        int work = collectCompleted();
        work += startDueRetries();
        if (pending < config.maxPending())
        {
            work += reader.read(onRecord, BATCH);
        }
        work += startFresh();
        if (dirty && System.nanoTime() - lastCheckpointNanos >= CHECKPOINT_INTERVAL_NANOS)
        {
            writeCheckpoint();
        }
        return work;
    }

    private void onRecord(final long index, final EventRecordDecoder record)
    {
        position = index;
        positionInclusive = false;
        dirty = true;
        if (!record.hasFlag(EventRecord.FLAG_CONVERSION))
        {
            return;
        }
        final Goal goal = find(record.string(EventRecord.SITE), record.string(EventRecord.GOAL));
        if (goal == null || goal.recipients().isEmpty())
        {
            return;
        }
        final ConversionNotice notice = ConversionNotice.of(index, record);
        for (final Goal.Notify recipient : goal.recipients())
        {
            fresh.add(new Delivery(index, "email".equals(recipient.channel()) ? EMAIL : WEBHOOK, recipient.target(), notice));
            pendingByIndex.merge(index, 1, Integer::sum);
            pending++;
        }
    }

    private Goal find(final String site, final String name)
    {
        for (final Goal goal : goals.goals(site))
        {
            if (goal.name().equals(name))
            {
                return goal;
            }
        }
        return null;
    }

    private int startFresh()
    {
        int started = 0;
        Delivery delivery;
        while ((delivery = fresh.poll()) != null)
        {
            attempt(delivery);
            started++;
        }
        return started;
    }

    private int startDueRetries()
    {
        final long now = System.nanoTime();
        int started = 0;
        while (!retries.isEmpty() && retries.peek().dueNanos - now <= 0)
        {
            attempt(retries.poll());
            started++;
        }
        return started;
    }

    private void attempt(final Delivery delivery)
    {
        delivery.attempts++;
        inFlight++;
        counters.pending(pending);
        if (delivery.channel == WEBHOOK)
        {
            webhooks.send(delivery.target, delivery.index, delivery.notice.json(), clock.getAsLong(),
                (failure, error) -> complete(delivery, failure));
        }
        else
        {
            mail.send(delivery.target, delivery.notice, (failure, error) -> complete(delivery, failure));
        }
    }

    /** Called on a sender's thread: hands the outcome back to the agent's thread. */
    private void complete(final Delivery delivery, final String failure)
    {
        delivery.failure = failure;
        completed.add(delivery);
    }

    private int collectCompleted()
    {
        int collected = 0;
        Delivery delivery;
        while ((delivery = completed.poll()) != null)
        {
            inFlight--;
            collected++;
            if (delivery.failure == null)
            {
                counters.sent(delivery.channel);
                done(delivery);
            }
            else
            {
                onFailure(delivery);
            }
        }
        return collected;
    }

    private void onFailure(final Delivery delivery)
    {
        counters.failed(delivery.channel);
        if (delivery.attempts >= config.maxAttempts())
        {
            counters.dropped(delivery.channel);
            LOG.warn("notifications: gave up on {} {} for goal '{}' (event {}) after {} attempts: {}",
                CHANNELS[delivery.channel], delivery.target, delivery.notice.goal(), delivery.index, delivery.attempts,
                delivery.failure);
            done(delivery);
            return;
        }
        LOG.debug("notifications: {} {} failed (attempt {}): {}", CHANNELS[delivery.channel], delivery.target,
            delivery.attempts, delivery.failure);
        final long backoff = Math.min(MAX_BACKOFF_NANOS, config.retryBase().toNanos() << Math.min(delivery.attempts - 1, 30));
        delivery.dueNanos = System.nanoTime() + backoff;
        retries.add(delivery);
    }

    private void done(final Delivery delivery)
    {
        pending--;
        counters.pending(pending);
        pendingByIndex.computeIfPresent(delivery.index, (index, count) -> count == 1 ? null : count - 1);
        dirty = true;
    }

    @Override
    public void onClose()
    {
        if (!positioned)
        {
            // onStart failed or never ran: the position is unknown, and writing it would replay the whole journal
            if (reader != null)
            {
                reader.close();
            }
            return;
        }
        final long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (inFlight > 0 && System.nanoTime() - deadline < 0)
        {
            if (collectCompleted() == 0)
            {
                LockSupport.parkNanos(PARK_WHILE_CLOSING_NANOS);
            }
        }
        writeCheckpoint();
        reader.close();
    }

    /** Where to resume: at the oldest record with a pending delivery, else after the last record read. */
    private void writeCheckpoint()
    {
        final boolean inclusive = !pendingByIndex.isEmpty() || positionInclusive;
        final long index = pendingByIndex.isEmpty() ? position : pendingByIndex.firstKey();
        AtomicFiles.write(checkpointFile, ("{\"index\":" + index + ",\"inclusive\":" + inclusive + "}\n")
            .getBytes(StandardCharsets.UTF_8));
        dirty = false;
        lastCheckpointNanos = System.nanoTime();
    }

    private static Map<String, Object> readCheckpoint(final Path file)
    {
        if (!Files.exists(file))
        {
            return null;
        }
        try
        {
            return Json.parseObject(Files.readString(file));
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new IllegalStateException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public String roleName()
    {
        return "tally-notifications";
    }
}
