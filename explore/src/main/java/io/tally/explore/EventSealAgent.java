package io.tally.explore;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.agent.RestartableAgent;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Tails the journal into the event store on a thread of its own, never an event loop: appends batches, seals a round
 * every interval (or when the round is full), and merges and trims between rounds. {@link #doWork()} returns how many
 * records it read, so the idle strategy backs off while the journal is quiet. A failure (a full disk) abandons the
 * instance; a fresh one recovers from the files and their position.
 */
public final class EventSealAgent implements RestartableAgent
{
    private static final int BATCH = 4096;
    private static final long MAINTAIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Journal journal;
    private final EventFiles files;
    private final int retentionDays;
    private final long sealIntervalNanos;
    private final LongSupplier wallClock;
    private final EventStoreCounters counters;
    private EventSealer sealer;
    private JournalReader reader;
    private long lastSealNanos;
    private long lastMaintainNanos;

    public EventSealAgent(final Journal journal, final EventFiles files, final int retentionDays, final long sealIntervalMillis,
        final LongSupplier wallClock, final EventStoreCounters counters)
    {
        this.journal = journal;
        this.files = files;
        this.retentionDays = retentionDays;
        this.sealIntervalNanos = TimeUnit.MILLISECONDS.toNanos(sealIntervalMillis);
        this.wallClock = wallClock;
        this.counters = counters;
    }

    @Override
    public void onStart()
    {
        sealer = EventSealer.open(files, retentionDays);
        reader = journal.newReader();
        sealer.skipToPosition(reader);
        counters.position(sealer.position());
        lastSealNanos = System.nanoTime();
        lastMaintainNanos = lastSealNanos;
    }

    @Override
    public int doWork()
    {
        final int read = sealer.apply(reader, BATCH);
        final long now = System.nanoTime();
        if (sealer.roundFull() || sealer.hasUnsealed() && now - lastSealNanos >= sealIntervalNanos)
        {
            seal(now);
        }
        if (now - lastMaintainNanos >= MAINTAIN_INTERVAL_NANOS)
        {
            lastMaintainNanos = now;
            sealer.maintain(wallClock.getAsLong());
        }
        return read;
    }

    private void seal(final long now)
    {
        final int rows = sealer.pendingRows();
        sealer.seal();
        lastSealNanos = now;
        counters.sealed(rows, System.nanoTime() - now, sealer.position());
    }

    /** Seals what was journaled before the close, so a clean stop leaves nothing to read again. */
    @Override
    public void onClose()
    {
        try
        {
            // a full round reads nothing more until it is sealed
            while (sealer.apply(reader, BATCH) > 0 || sealer.roundFull())
            {
                if (sealer.roundFull())
                {
                    seal(System.nanoTime());
                }
            }
            seal(System.nanoTime());
        }
        finally
        {
            abandon();
        }
    }

    @Override
    public void abandon()
    {
        if (reader != null)
        {
            reader.close();
        }
        if (sealer != null)
        {
            sealer.close();
        }
    }

    @Override
    public String roleName()
    {
        return "tally-events";
    }
}
