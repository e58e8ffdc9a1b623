package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.agent.RestartableAgent;
import io.tally.store.state.FreeSpace;
import io.tally.store.state.StateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * Tails the journal into the {@link Rollups} on a thread of its own, behind the request path, and writes a
 * {@link RollupCheckpoint} (figures plus the journal index they cover) every few seconds (less often when
 * checkpoints grow costly) and when closed. {@link #doWork()} returns how many records it applied, so an idle
 * strategy backs off while the journal is quiet.
 * <p>
 * A checkpoint is skipped while it would eat into the disk's reserve (the journal needs that space more), and one
 * that fails is tried again later: the figures in memory stay right, and a restart recounts from the last good one.
 */
public final class RollupAgent implements RestartableAgent
{
    private static final Logger LOG = LoggerFactory.getLogger("tally");
    private static final int BATCH = 4096;

    private final Journal journal;
    private final Rollups rollups;
    private final StateFiles files;
    private final FreeSpace freeSpace;
    private final long checkpointIntervalNanos;
    private JournalReader reader;
    private long lastCheckpointNanos;
    private long lastCheckpointCostNanos;
    private long lastCheckpointBytes;
    private long appliedSinceCheckpoint;
    private boolean checkpointsWaitingForSpace;
    private long unreadableSeen;

    public RollupAgent(final Journal journal, final Rollups rollups, final StateFiles files, final FreeSpace freeSpace,
        final long checkpointIntervalMillis)
    {
        this.journal = journal;
        this.rollups = rollups;
        this.files = files;
        this.freeSpace = freeSpace;
        this.checkpointIntervalNanos = TimeUnit.MILLISECONDS.toNanos(checkpointIntervalMillis);
    }

    @Override
    public void onStart()
    {
        reader = journal.newReader();
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
        final int applied = reader.read(rollups::apply, BATCH);
        if (applied > 0 && reader.unreadableCount() != unreadableSeen)
        {
            rollups.countUnreadable(reader.unreadableCount() - unreadableSeen);
            unreadableSeen = reader.unreadableCount();
        }
        appliedSinceCheckpoint += applied;
        if (appliedSinceCheckpoint > 0 &&
            System.nanoTime() - lastCheckpointNanos >= Math.max(checkpointIntervalNanos, 20 * lastCheckpointCostNanos))
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
        if (appliedSinceCheckpoint > 0)
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

    /** Writes a checkpoint; a large state is written less often (at most 5% of the agent's time goes to it). */
    private void checkpoint()
    {
        final long start = System.nanoTime();
        lastCheckpointNanos = start;
        if (!freeSpace.allows(lastCheckpointBytes))
        {
            if (!checkpointsWaitingForSpace)
            {
                LOG.warn("rollup checkpoints wait: {} bytes free on {}, the reserve is {}", freeSpace.freeBytes(),
                    freeSpace.directory(), freeSpace.reserveBytes());
                checkpointsWaitingForSpace = true;
            }
            return;
        }
        try
        {
            RollupCheckpoint.write(files, rollups);
            lastCheckpointBytes = Files.size(files.path(RollupCheckpoint.FILE));
            appliedSinceCheckpoint = 0;
            if (checkpointsWaitingForSpace)
            {
                LOG.info("rollup checkpoints resume: space is free again");
                checkpointsWaitingForSpace = false;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
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
