package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.state.StateFiles;

/**
 * The rollups' checkpoint, {@code DATA_DIR/rollups.ckpt}: the figures and the journal index they cover, sealed.
 * Rollups are derived (the journal is the record), so a checkpoint that cannot be trusted is set aside and the
 * journal counted again from its start: slower, never wrong. Trusted means: sealed and intact, of this layout,
 * and covering an index the journal has; a checkpoint ahead of its journal would make the agent skip or
 * double-count records.
 */
public final class RollupCheckpoint
{
    public static final String FILE = "rollups.ckpt";

    private RollupCheckpoint()
    {
    }

    /** The rollups to resume from: the checkpoint's when it can be trusted, else empty (counted from the start). */
    public static Rollups load(final StateFiles files, final Journal journal)
    {
        final Rollups loaded = files.load(FILE, false, Rollups::readFrom);
        if (loaded == null)
        {
            return new Rollups();
        }
        if (loaded.lastIndex() >= 0 && !journalHas(journal, loaded.lastIndex()))
        {
            files.setAside(FILE, "it covers journal index " + loaded.lastIndex() + ", which the journal does not have");
            return new Rollups();
        }
        return loaded;
    }

    private static boolean journalHas(final Journal journal, final long index)
    {
        try (JournalReader reader = journal.newReader())
        {
            return reader.moveTo(index) && reader.read((i, record) -> { }, 1) == 1;
        }
    }

    public static void write(final StateFiles files, final Rollups rollups)
    {
        files.write(FILE, rollups::writeTo);
    }
}
