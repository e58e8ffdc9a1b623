package io.tally.engine;

import io.tally.store.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * {@code --journal-retention-days}: deletes the journal's daily files older than the retention, never a day a
 * reader still needs. The rollups always hold it (days they have not counted, behind their checkpoint); other
 * readers that must see every record add a hold ({@link #hold}): the cluster's forwarder, whose days not yet
 * forwarded exist nowhere else. The day of a reader's last index is kept (the rest of that day may be unread).
 */
public final class JournalRetention
{
    private static final Logger LOG = LoggerFactory.getLogger("tally");
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final Journal journal;
    private final int days;
    private final LongSupplier clock;
    private final List<LongSupplier> holds = new CopyOnWriteArrayList<>();

    /**
     * @param days    whole days kept, today included (0: keep everything)
     * @param counted the last journal index the rollups have counted and checkpointed, -1 when none
     */
    public JournalRetention(final Journal journal, final int days, final LongSupplier clock, final LongSupplier counted)
    {
        this.journal = journal;
        this.days = days;
        this.clock = clock;
        holds.add(counted);
    }

    /** Keeps the day of the index {@code doneUpTo} answers (-1: nothing read yet, so every day) and all after it. */
    public void hold(final LongSupplier doneUpTo)
    {
        holds.add(doneUpTo);
    }

    /** Deletes the days past the retention that no reader holds; the bytes deleted. */
    public long trim()
    {
        if (days <= 0)
        {
            return 0;
        }
        long done = Long.MAX_VALUE;
        for (final LongSupplier hold : holds)
        {
            done = Math.min(done, hold.getAsLong());
        }
        if (done < 0)
        {
            return 0;
        }
        final long today = Math.floorDiv(clock.getAsLong(), MILLIS_PER_DAY);
        final int before = (int)Math.min(today - days + 1, journal.cycleOf(done));
        final long deleted = journal.deleteCyclesBefore(before);
        if (deleted > 0)
        {
            LOG.info("journal retention: deleted {} bytes of days before {}", deleted, java.time.LocalDate.ofEpochDay(before));
        }
        return deleted;
    }
}
