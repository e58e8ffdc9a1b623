package io.tally.notify;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.codec.json.Json;
import io.tally.engine.site.GoalBook;
import io.tally.matcher.Goal;
import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.agent.RestartableAgent;
import io.tally.store.state.StateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 * the end of the journal as it was when the engine started: past conversions are not announced. A damaged
 * checkpoint is set aside and the tailer begins there too: announcing the whole journal's conversions again would
 * be worse than missing a few.
 * <p>
 * While no goal has a recipient and nothing is pending the journal is not read at all: the position follows the
 * journal's end once a second, so the thread sleeps and a recipient added later hears of conversions from then on
 * (from at most a second before), not of older ones.
 */
public final class NotificationAgent implements RestartableAgent
{
    public static final String CHECKPOINT_FILE = "notifications.ckpt";
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
    private final StateFiles files;
    private final long lastIndexAtStart;
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
    private boolean positionInclusive;
    private int inFlight;
    private int pending;
    private boolean dirty;
    private long lastCheckpointNanos;
    /** Nobody is to be told of anything: the reader is left where it was and the position follows the end. */
    private boolean followingTheEnd;
    private long lastFollowedNanos;

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

    /** Where to resume: a journal index, and whether that record itself is still to be read. */
    private record Position(long index, boolean inclusive)
    {
        static Position decode(final InputStream in) throws java.io.IOException
        {
            final Map<String, Object> json = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!(json.get("index") instanceof Number) || !(json.get("inclusive") instanceof Boolean))
            {
                throw new IllegalArgumentException("it needs a number 'index' and a boolean 'inclusive'");
            }
            return new Position(((Number)json.get("index")).longValue(), (Boolean)json.get("inclusive"));
        }
    }

    NotificationAgent(final Journal journal, final GoalBook goals, final NotifierConfig config, final StateFiles files,
        final long lastIndexAtStart, final WebhookSender webhooks, final MailSender mail, final NotificationCounters counters,
        final LongSupplier clock)
    {
        this.lastIndexAtStart = lastIndexAtStart;
        this.journal = journal;
        this.goals = goals;
        this.config = config;
        this.files = files;
        this.webhooks = webhooks;
        this.mail = mail;
        this.counters = counters;
        this.clock = clock;
    }

    @Override
    public void onStart()
    {
        reader = journal.newReader();
        final Position checkpoint = files.load(CHECKPOINT_FILE, true, Position::decode);
        if (checkpoint == null)
        {
            startAtTheEnd();
            writeCheckpoint();
            return;
        }
        final long index = checkpoint.index();
        if (index >= 0 && !moveTo(index, checkpoint.inclusive()))
        {
            LOG.warn("notifications: the checkpoint's journal index {} is gone; resuming at the end of the journal", index);
            startAtTheEnd();
            return;
        }
        position = index;
        positionInclusive = checkpoint.inclusive();
    }

    /**
     * Begins after the record that was last when the engine started, so events taken while this thread was still
     * starting are announced too; at the end of the journal when that record is gone.
     */
    private void startAtTheEnd()
    {
        if (lastIndexAtStart >= 0 && !moveTo(lastIndexAtStart, false))
        {
            reader.moveToEnd();
            position = journal.lastIndex();
        }
        else
        {
            position = lastIndexAtStart;
        }
        positionInclusive = false;
    }

    /** Puts the reader at {@code index} (inclusive) or just after it; false when that record is gone. */
    private boolean moveTo(final long index, final boolean inclusive)
    {
        return reader.moveTo(index) && (inclusive || reader.read((i, r) -> { }, 1) == 1);
    }

    @Override
    public int doWork()
    {
        int work = collectCompleted();
        work += startDueRetries();
        if (pending == 0 && !goals.anyRecipients())
        {
            work += followTheEnd();
        }
        else if (pending < config.maxPending())
        {
            if (followingTheEnd)
            {
                resumeReading();
            }
            final int read = reader.read(onRecord, BATCH);
            counters.read(read);
            work += read;
        }
        work += startFresh();
        if (dirty && System.nanoTime() - lastCheckpointNanos >= CHECKPOINT_INTERVAL_NANOS)
        {
            writeCheckpoint();
        }
        counters.positioned(position, positionInclusive);
        return work;
    }

    /** Moves the position to the journal's end, at most once a second, without reading; returns 1 when it moved. */
    private int followTheEnd()
    {
        followingTheEnd = true;
        final long now = System.nanoTime();
        if (now - lastFollowedNanos < CHECKPOINT_INTERVAL_NANOS)
        {
            return 0;
        }
        lastFollowedNanos = now;
        final long last = journal.lastIndex();
        // asked again after the end was read: a conversion appended after a recipient was added lies past that end
        if (last == position && !positionInclusive || goals.anyRecipients())
        {
            return 0;
        }
        position = last;
        positionInclusive = false;
        dirty = true;
        return 1;
    }

    /** A recipient appeared: reading starts after the position the end was followed to. */
    private void resumeReading()
    {
        followingTheEnd = false;
        if (position >= 0 && !moveTo(position, positionInclusive))
        {
            reader.moveToEnd();
            position = journal.lastIndex();
            positionInclusive = false;
        }
    }

    private void onRecord(final long index, final EventRecordDecoder record)
    {
        position = index;
        positionInclusive = false;
        dirty = true;
        if (!record.hasFlag(EventRecord.FLAG_CONVERSION) || record.robotReason() != EventRecord.ROBOT_NONE)
        {
            return; // a robot's conversion (journaled flagged by --keep-bots) tells no one
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

    /** Deliveries still in flight complete into this instance and are forgotten; a fresh one resends from its checkpoint. */
    @Override
    public void abandon()
    {
        if (reader != null)
        {
            reader.close();
        }
    }

    /**
     * Where to resume: at the oldest record with a pending delivery, else after the last record read. A write that
     * fails (a full disk) is tried again at the next interval; until then a restart would resend a little more.
     */
    private void writeCheckpoint()
    {
        final boolean inclusive = !pendingByIndex.isEmpty() || positionInclusive;
        final long index = pendingByIndex.isEmpty() ? position : pendingByIndex.firstKey();
        lastCheckpointNanos = System.nanoTime();
        try
        {
            files.write(CHECKPOINT_FILE, ("{\"index\":" + index + ",\"inclusive\":" + inclusive + "}\n")
                .getBytes(StandardCharsets.UTF_8));
            dirty = false;
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("notifications: checkpoint failed, tried again in a second: {}", ex.getMessage());
        }
    }

    @Override
    public String roleName()
    {
        return "tally-notifications";
    }
}
