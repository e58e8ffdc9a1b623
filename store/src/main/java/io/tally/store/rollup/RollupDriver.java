package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.state.StateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.util.function.LongSupplier;

/**
 * The rollups with what keeps them: their checkpoint and their maintenance, driven step by step from one thread
 * (the rollup agent, the rebuild command, the benchmark): apply a batch, seal what is due, checkpoint.
 */
public final class RollupDriver
{
    private final Rollups rollups;
    private final RollupCheckpoint checkpoints;
    private final RollupMaintenance maintenance;

    public RollupDriver(final Rollups rollups, final RollupCheckpoint checkpoints, final LongSupplier wallClock,
        final int retentionDays)
    {
        this.rollups = rollups;
        this.checkpoints = checkpoints;
        this.maintenance = new RollupMaintenance(rollups, checkpoints.segments(), wallClock, retentionDays);
    }

    /** Loads the checkpoint of {@code files} (or starts empty) and drives what it holds. */
    public static RollupDriver open(final StateFiles files, final Journal journal, final LongSupplier wallClock,
        final int retentionDays)
    {
        final RollupCheckpoint checkpoints = new RollupCheckpoint(files);
        return new RollupDriver(checkpoints.load(journal), checkpoints, wallClock, retentionDays);
    }

    public Rollups rollups()
    {
        return rollups;
    }

    /** Applies up to {@code limit} records; returns how many were read. */
    public int apply(final JournalReader reader, final int limit)
    {
        return rollups.applyFrom(reader, limit);
    }

    /** Seals, compacts and drops what is due; true when a checkpoint should follow. */
    public boolean maintain()
    {
        return maintenance.maintain();
    }

    /** Writes a checkpoint; the files it no longer names are deleted only once it is written. */
    public void checkpoint()
    {
        checkpoint(new byte[0]);
    }

    /** Writes a checkpoint with the position a source other than the journal reached, atomic with the figures. */
    public void checkpoint(final byte[] sourcePosition)
    {
        final java.util.List<java.nio.file.Path> obsolete = maintenance.obsolete();
        checkpoints.write(rollups, obsolete, sourcePosition);
        maintenance.forget(obsolete);
    }

    /** Bytes of the checkpoint and the open days' files it names: what a checkpoint writes each time. */
    public long checkpointBytes()
    {
        try
        {
            return Files.size(checkpoints.segments().root().getParent().resolve(RollupCheckpoint.FILE)) +
                checkpoints.openBytes();
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    /** Bytes of every rollup file: sealed days, their deltas, the open days' files. */
    public long diskBytes()
    {
        return checkpoints.segments().bytes();
    }

    /** Days sealed, deltas sealed, compactions and days dropped since start. */
    public long[] counts()
    {
        return maintenance.counts.clone();
    }

    /** Positions {@code reader} just after the last record the rollups counted. */
    public void skipToTail(final JournalReader reader)
    {
        RollupAgent.skipToTail(reader, rollups.lastIndex());
    }
}
