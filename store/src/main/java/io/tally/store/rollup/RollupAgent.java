package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import org.agrona.concurrent.Agent;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Tails the journal into the {@link Rollups} on a thread of its own, behind the request path, and writes a
 * checkpoint (figures plus the journal index they cover) every few seconds (less often when checkpoints grow
 * costly) and when closed. {@link #doWork()}
 * returns how many records it applied, so an idle strategy backs off while the journal is quiet.
 */
public final class RollupAgent implements Agent
{
    public static final String CHECKPOINT_FILE = "rollups.ckpt";
    private static final int BATCH = 4096;

    private final Journal journal;
    private final Rollups rollups;
    private final Path checkpointFile;
    private final long checkpointIntervalNanos;
    private JournalReader reader;
    private long lastCheckpointNanos;
    private long lastCheckpointCostNanos;
    private long appliedSinceCheckpoint;
    private volatile long unreadable;

    public RollupAgent(final Journal journal, final Rollups rollups, final Path dataDir, final long checkpointIntervalMillis)
    {
        this.journal = journal;
        this.rollups = rollups;
        this.checkpointFile = dataDir.resolve(CHECKPOINT_FILE);
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
            throw new IllegalStateException("the rollup checkpoint covers journal index " + lastIndex +
                ", which the journal does not have: run ./tally rollup rebuild");
        }
    }

    @Override
    public int doWork()
    {
        final int applied = reader.read(rollups::apply, BATCH);
        if (applied > 0)
        {
            unreadable = reader.unreadableCount();
        }
        appliedSinceCheckpoint += applied;
        if (appliedSinceCheckpoint > 0 &&
            System.nanoTime() - lastCheckpointNanos >= Math.max(checkpointIntervalNanos, 20 * lastCheckpointCostNanos))
        {
            checkpoint();
        }
        return applied;
    }

    /** Journal records skipped because this build cannot read them (a newer layout version, or cut short). */
    public long unreadableCount()
    {
        return unreadable;
    }

    @Override
    public void onClose()
    {
        if (reader == null)
        {
            return; // closed before its thread started: it applied nothing, so there is nothing to write
        }
        while (doWork() > 0)
        {
            // catch up with what was journaled before the close
        }
        checkpoint();
        reader.close();
    }

    /** Writes a checkpoint; a large state is written less often (at most 5% of the agent's time goes to it). */
    private void checkpoint()
    {
        final long start = System.nanoTime();
        rollups.checkpoint(checkpointFile);
        appliedSinceCheckpoint = 0;
        lastCheckpointNanos = System.nanoTime();
        lastCheckpointCostNanos = lastCheckpointNanos - start;
    }

    @Override
    public String roleName()
    {
        return "tally-rollups";
    }
}
