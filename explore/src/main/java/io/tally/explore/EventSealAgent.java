package io.tally.explore;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.agent.RestartableAgent;
import io.tally.store.state.FreeSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Tails the journal into the event store on a thread of its own, never an event loop: appends batches, seals a round
 * every interval (or when the round is full), and merges and trims between rounds. {@link #doWork()} returns how many
 * records it read, so the idle strategy backs off while the journal is quiet. A failure (a full disk) abandons the
 * instance; a fresh one recovers from the files and their position.
 * <p>
 * Rounds and merges wait while writing would eat into the disk's reserve ({@code --min-free-space}: the journal
 * needs that space more); the journal keeps the records meanwhile, and a full round reads no more.
 */
public final class EventSealAgent implements RestartableAgent
{
    private static final int BATCH = 4096;
    private static final long MAINTAIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Logger LOG = LoggerFactory.getLogger("tally");
    /** Room asked for per row of a round: its files take about 27 bytes a row, the rest is margin. */
    private static final long BYTES_PER_ROW = 128;
    /** Room asked for a merge: it writes its group's rows once more before deleting the parts. */
    private static final long MERGE_BYTES = 256L << 20;

    private final Journal journal;
    private final EventFiles files;
    private final int retentionDays;
    private final long sealIntervalNanos;
    private final LongSupplier wallClock;
    private final EventStoreCounters counters;
    private final FreeSpace freeSpace;
    private boolean waitingForSpace;
    private EventSealer sealer;
    private JournalReader reader;
    private long lastSealNanos;
    private long lastMaintainNanos;

    public EventSealAgent(final Journal journal, final EventFiles files, final int retentionDays, final long sealIntervalMillis,
        final LongSupplier wallClock, final EventStoreCounters counters, final FreeSpace freeSpace)
    {
        this.freeSpace = freeSpace;
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
        reader = journal.newReader().withBackfills();
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
        if ((sealer.roundFull() || sealer.hasUnsealed() && now - lastSealNanos >= sealIntervalNanos) &&
            hasSpace(sealer.pendingRows() * BYTES_PER_ROW))
        {
            seal(now);
        }
        if (now - lastMaintainNanos >= MAINTAIN_INTERVAL_NANOS)
        {
            lastMaintainNanos = now;
            sealer.deleteRetired(wallClock.getAsLong()); // gives space back: never waits for it
            if (hasSpace(MERGE_BYTES))
            {
                sealer.maintain(wallClock.getAsLong());
            }
        }
        return read;
    }

    /** Whether {@code bytes} may be written now without eating into the reserve; logs the change either way. */
    private boolean hasSpace(final long bytes)
    {
        if (freeSpace.allows(bytes))
        {
            if (waitingForSpace)
            {
                LOG.info("event store resumes: space is free again");
                waitingForSpace = false;
            }
            return true;
        }
        if (!waitingForSpace)
        {
            LOG.warn("event store waits: {} bytes free on {}, the reserve is {}", freeSpace.freeBytes(), freeSpace.directory(),
                freeSpace.reserveBytes());
            waitingForSpace = true;
        }
        return false;
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
            while (hasSpace(sealer.pendingRows() * BYTES_PER_ROW) && (sealer.apply(reader, BATCH) > 0 || sealer.roundFull()))
            {
                if (sealer.roundFull())
                {
                    seal(System.nanoTime());
                }
            }
            if (hasSpace(sealer.pendingRows() * BYTES_PER_ROW))
            {
                seal(System.nanoTime());
            }
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
