package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.agent.RestartableAgent;
import io.tally.store.state.FreeSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Tails the journal into the {@link Rollups} on a thread of its own, behind the request path: applies batches,
 * seals days that are over and compacts deltas ({@link RollupMaintenance}), and writes a {@link RollupCheckpoint}
 * every few seconds (less often when checkpoints grow costly), after anything sealed, and when closed.
 * {@link #doWork()} returns how many records it applied, so an idle strategy backs off while the journal is quiet.
 * <p>
 * Checkpoints and sealing wait while they would eat into the disk's reserve (the journal needs that space more);
 * one that fails is tried again later: the figures in memory stay right, and a restart recounts from the last good
 * checkpoint.
 */
public final class RollupAgent implements RestartableAgent
{
    private static final Logger LOG = LoggerFactory.getLogger("tally");
    private static final int BATCH = 4096;
    private static final long MAINTAIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Journal journal;
    private final Rollups rollups;
    private final RollupDriver driver;
    private final FreeSpace freeSpace;
    private final long checkpointIntervalNanos;
    private JournalReader reader;
    private long lastCheckpointNanos;
    private long lastCheckpointCostNanos;
    private long lastMaintainNanos;
    private long appliedSinceCheckpoint;
    private boolean changedSinceCheckpoint;
    private boolean waitingForSpace;
    /** A failed checkpoint is tried again after the interval, not at once (the failure may last: a quota, a full disk). */
    private boolean lastCheckpointFailed;

    public RollupAgent(final Journal journal, final Rollups rollups, final RollupCheckpoint checkpoints,
        final FreeSpace freeSpace, final long checkpointIntervalMillis, final LongSupplier wallClock, final int retentionDays)
    {
        this.journal = journal;
        this.rollups = rollups;
        this.driver = new RollupDriver(rollups, checkpoints, wallClock, retentionDays);
        this.freeSpace = freeSpace;
        this.checkpointIntervalNanos = TimeUnit.MILLISECONDS.toNanos(checkpointIntervalMillis);
    }

    @Override
    public void onStart()
    {
        reader = journal.newReader().withBackfills();
        lastCheckpointNanos = System.nanoTime();
        skipToTail(reader, rollups.lastIndex());
    }

    /** Positions {@code reader} just after {@code lastIndex} (at the start when it is -1). */
    static void skipToTail(final JournalReader reader, final long lastIndex)
    {
        if (lastIndex < 0)
        {
            return;
        }
        if (!reader.moveTo(lastIndex) || reader.read((index, record) -> { }, 1) != 1)
        {
            throw new IllegalStateException("the rollups cover journal index " + lastIndex +
                ", which the journal does not have: run ./tally rollup rebuild");
        }
    }

    @Override
    public int doWork()
    {
        final int applied = driver.apply(reader, BATCH);
        appliedSinceCheckpoint += applied;
        final long now = System.nanoTime();
        if (now - lastMaintainNanos >= MAINTAIN_INTERVAL_NANOS || applied == BATCH)
        {
            lastMaintainNanos = now;
            if (hasSpace())
            {
                changedSinceCheckpoint |= driver.maintain();
            }
        }
        final boolean intervalPassed = now - lastCheckpointNanos >= Math.max(checkpointIntervalNanos, 20 * lastCheckpointCostNanos);
        if (changedSinceCheckpoint && !lastCheckpointFailed || (changedSinceCheckpoint || appliedSinceCheckpoint > 0) &&
            intervalPassed)
        {
            checkpoint();
        }
        return applied;
    }

    @Override
    public void onClose()
    {
        while (doWork() > 0)
        {
            // catch up with what was journaled before the close
        }
        if (appliedSinceCheckpoint > 0 || changedSinceCheckpoint)
        {
            checkpoint();
        }
        reader.close();
    }

    @Override
    public void abandon()
    {
        if (reader != null)
        {
            reader.close();
        }
    }

    /** Whether files may be written: the last checkpoint's size again must leave the disk's reserve free. */
    private boolean hasSpace()
    {
        if (freeSpace.allows(driver.checkpointBytes()))
        {
            if (waitingForSpace)
            {
                LOG.info("rollup checkpoints resume: space is free again");
                waitingForSpace = false;
            }
            return true;
        }
        if (!waitingForSpace)
        {
            LOG.warn("rollup checkpoints wait: {} bytes free on {}, the reserve is {}", freeSpace.freeBytes(),
                freeSpace.directory(), freeSpace.reserveBytes());
            waitingForSpace = true;
        }
        return false;
    }

    /** Writes a checkpoint; a large state is written less often (at most 5% of the agent's time goes to it). */
    private void checkpoint()
    {
        final long start = System.nanoTime();
        lastCheckpointNanos = start;
        if (!hasSpace())
        {
            lastCheckpointFailed = true;
            return;
        }
        try
        {
            driver.checkpoint();
            appliedSinceCheckpoint = 0;
            changedSinceCheckpoint = false;
            lastCheckpointFailed = false;
        }
        catch (final RuntimeException ex)
        {
            lastCheckpointFailed = true;
            LOG.warn("rollup checkpoint failed, tried again in {} ms: {}", TimeUnit.NANOSECONDS.toMillis(checkpointIntervalNanos),
                ex.getMessage());
        }
        lastCheckpointCostNanos = System.nanoTime() - start;
    }

    @Override
    public String roleName()
    {
        return "tally-rollups";
    }
}
