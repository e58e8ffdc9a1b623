package io.tally.store.rollup;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.store.JournalReader;
import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.DayCube;
import io.tally.store.rollup.day.DayFigures;
import io.tally.store.rollup.day.Dictionary;
import io.tally.store.rollup.day.SortedRuns;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The rollups of every site, by UTC day. A day still open (today, or a past day a replay is filling) is a
 * {@link DayCube} on the heap; a day that is over is sealed by {@link RollupMaintenance} into an immutable segment
 * file read in place, and dropped from the heap; a late event for a sealed day goes into a small delta of it, which
 * is sealed in turn and folded into the day by compaction. So the heap holds the open days and the attribution
 * memory, whatever the history. Each record counts once in exactly one of them; the journal index the rollups cover
 * goes into the checkpoint with them, so a restart replays exactly the records after it.
 * <p>
 * Thread-safety: the rollup agent applies and maintains (one thread); queries read from any thread. Applying holds
 * the write lock for a batch; a query takes the read lock only to read the open days and to collect the sealed
 * days, which it then reads without a lock (they are immutable). Writing files (sealing, checkpoints) holds no lock.
 */
public final class Rollups
{
    static final long MILLIS_PER_HOUR = 3_600_000L;
    static final long MILLIS_PER_DAY = 86_400_000L;
    /** Records in a row to one day before visitors are held in sorted runs for it (see {@code SortedRuns}). */
    private static final int RUNS_AFTER = 64;

    /**
     * Fair, so a query that waits gets the lock when the agent's current batch ends: an unfair lock lets the agent,
     * which takes it again at once for its next batch, keep a query waiting for as long as a replay runs.
     */
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
    private Dictionary siteIds = new Dictionary();
    final List<SiteDays> sites = new ArrayList<>();
    /** Records applied since start: the clock that says a day has not been written to for a while. */
    long appliedCount;
    /** The latest receive time of the records applied: the journal's clock. */
    long latestReceivedAt;
    private volatile long lastIndex;
    private volatile long unreadable;
    private int lastSite = -1;
    private long lastDayNumber;
    private OpenDay lastDay;
    /** Within {@link #applyFrom}: the day records go to may hold visitors back in sorted runs until flushed. */
    private boolean batching;
    /** Records in a row to the last day routed to, in this batch: runs are lent to a day only after a few. */
    private int streak;
    /** Lent to the day a batch's records go to, one day at a time. */
    private final SortedRuns runs = new SortedRuns();

    /** One site's days: open ones (and open deltas of sealed ones) and sealed ones. */
    static final class SiteDays
    {
        final String domain;
        /** Visitors and sessions of the last day sealed: a new day's tables are sized for as many. */
        int lastVisitors;
        int lastSessions;
        /*
         * Queries walk these maps on several threads at once under the read lock: a map that avoids allocation hands
         * every caller the same iterator, and two walks through it skip days. So each walk gets its own.
         */
        final Long2ObjectHashMap<OpenDay> open = new Long2ObjectHashMap<>(8, Hashing.DEFAULT_LOAD_FACTOR, false);
        final Long2ObjectHashMap<SealedDay> sealed = new Long2ObjectHashMap<>(8, Hashing.DEFAULT_LOAD_FACTOR, false);

        SiteDays(final String domain)
        {
            this.domain = domain;
        }
    }

    /** An open day or delta, and when it was last written to. */
    static final class OpenDay
    {
        final DayCube cube;
        final boolean delta;
        long lastApplied;
        long seenApplied = -1;
        long seenAtMillis;

        OpenDay(final DayCube cube, final boolean delta)
        {
            this.cube = cube;
            this.delta = delta;
        }
    }

    public Rollups()
    {
        this(-1);
    }

    Rollups(final long lastIndex)
    {
        this.lastIndex = lastIndex;
    }

    /** Counts the record at journal index {@code index}. */
    public void apply(final long index, final EventRecordDecoder record)
    {
        lock.writeLock().lock();
        try
        {
            applyUnlocked(index, record);
            flushDay();
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    /**
     * Reads and counts up to {@code limit} records, holding the write lock once for all of them.
     *
     * @return how many records were read (unreadable ones included).
     */
    public int applyFrom(final JournalReader reader, final int limit)
    {
        return applyBatch(sink ->
        {
            final long before = reader.unreadableCount();
            final int read = reader.read(sink, limit);
            if (reader.unreadableCount() != before)
            {
                unreadable += reader.unreadableCount() - before;
                // records this build cannot read count as read: the lag reaches 0, a restart does not read them again
                lastIndex = Math.max(lastIndex, reader.lastReadIndex());
            }
            return read;
        });
    }

    /** Records handed to a sink: a journal's, or a cluster worker's poll of its topic. */
    @FunctionalInterface
    public interface Batch
    {
        /** Hands each record to {@code sink}; returns what the caller wants back (how many were read). */
        int feed(JournalReader.RecordHandler sink);
    }

    /**
     * Counts the records {@code batch} hands over, holding the write lock once for all of them; within it, a day
     * that many records in a row go to holds its visitors in sorted runs until the batch ends (see {@code Cells}).
     *
     * @return what {@code batch} returned.
     */
    public int applyBatch(final Batch batch)
    {
        lock.writeLock().lock();
        try
        {
            batching = true;
            Throwable failure = null;
            try
            {
                streak = 0;
                return batch.feed(this::applyUnlocked);
            }
            catch (final RuntimeException | Error ex)
            {
                failure = ex;
                throw ex;
            }
            finally
            {
                endBatch(failure);
            }
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    /**
     * Merges what the batch's day holds back. When the batch failed, a failure of the merge too is added to the
     * batch's (suppressed), so the cause the caller logs is the first one.
     */
    private void endBatch(final Throwable batchFailure)
    {
        try
        {
            flushDay();
        }
        catch (final RuntimeException | Error ex)
        {
            if (batchFailure == null)
            {
                throw ex;
            }
            if (ex != batchFailure) // the JVM may throw one preallocated OutOfMemoryError twice
            {
                batchFailure.addSuppressed(ex);
            }
        }
        finally
        {
            batching = false;
        }
    }

    private void applyUnlocked(final long index, final EventRecordDecoder record)
    {
        final long hour = Math.floorDiv(record.eventTime(), MILLIS_PER_HOUR);
        final long day = Math.floorDiv(hour, CellKind.HOURS);
        final int site = siteIds.id(record.buffer(), record.stringOffset(EventRecord.SITE), record.stringLength(EventRecord.SITE));
        final OpenDay open = site == lastSite && day == lastDayNumber ? lastDay : route(site, day);
        // traffic of many sites or days interleaved would flush a day at nearly every record: runs too short to pay
        if (batching && ++streak == RUNS_AFTER)
        {
            open.cube.beginBatch(runs);
        }
        open.cube.apply(record, (int)(hour - day * CellKind.HOURS));
        open.lastApplied = ++appliedCount;
        latestReceivedAt = Math.max(latestReceivedAt, record.receivedAt());
        lastIndex = index;
    }

    /** The open day (or open delta of a sealed day) a record of {@code site}'s {@code day} goes into. */
    private OpenDay route(final int site, final long day)
    {
        if (site == sites.size())
        {
            sites.add(new SiteDays(siteIds.string(site)));
        }
        flushDay();
        final SiteDays days = sites.get(site);
        OpenDay open = days.open.get(day);
        if (open == null)
        {
            final SealedDay sealed = days.sealed.get(day);
            open = sealed == null ? new OpenDay(new DayCube(day, days.lastVisitors, days.lastSessions), false) :
                new OpenDay(new DayCube(day, sealed.visitors(), sealed.sessions(), sealed.touches()), true);
            days.open.put(day, open);
        }
        lastSite = site;
        lastDayNumber = day;
        lastDay = open;
        streak = 0;
        return open;
    }

    /** The day the last records went to holds some of their visitors and sessions until flushed: see {@code Cells}. */
    private void flushDay()
    {
        if (lastDay != null)
        {
            lastDay.cube.flush();
        }
    }

    /** Forgets the routing shortcut: an open day was sealed or dropped. */
    void forgetRoute()
    {
        lastSite = -1;
        lastDay = null;
    }

    /**
     * Takes the state of {@code loaded} (fresh from the checkpoint) in place of this one's: after the agent failed
     * in the middle of applying a record, what is in memory may have counted part of it, and the record is read
     * again. Queries keep this object and see the checkpoint's figures, then the journal's catching up.
     */
    public void replaceWith(final Rollups loaded)
    {
        lock.writeLock().lock();
        try
        {
            siteIds = loaded.siteIds;
            sites.clear();
            sites.addAll(loaded.sites);
            appliedCount = loaded.appliedCount;
            latestReceivedAt = loaded.latestReceivedAt;
            lastIndex = loaded.lastIndex;
            forgetRoute();
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    /** The journal index of the last record counted; -1 for none. */
    public long lastIndex()
    {
        return lastIndex;
    }

    /** Journal records skipped since start because this build cannot read them (a newer layout, or cut short). */
    public long unreadableCount()
    {
        return unreadable;
    }

    /** Notes journal records skipped by a reader that applied records one by one. */
    void countUnreadable(final long records)
    {
        unreadable += records;
    }

    /** The site's state, made when new; under the write lock. */
    SiteDays site(final String domain)
    {
        final int id = siteIds.id(domain);
        if (id == sites.size())
        {
            sites.add(new SiteDays(domain));
        }
        return sites.get(id);
    }

    /** The days of {@code [fromDay, toDay]} the site has figures for: the range itself, or its days when it is long. */
    private static long[] daysBetween(final SiteDays days, final long fromDay, final long toDay)
    {
        final int known = days.open.size() + days.sealed.size();
        if (toDay - fromDay + 1 <= known)
        {
            final long[] range = new long[(int)(toDay - fromDay + 1)];
            for (int i = 0; i < range.length; i++)
            {
                range[i] = fromDay + i;
            }
            return range;
        }
        final java.util.TreeSet<Long> within = new java.util.TreeSet<>();
        days.open.keySet().forEach(day -> addWithin(within, day, fromDay, toDay));
        days.sealed.keySet().forEach(day -> addWithin(within, day, fromDay, toDay));
        return within.stream().mapToLong(Long::longValue).toArray();
    }

    private static void addWithin(final java.util.Set<Long> days, final long day, final long fromDay, final long toDay)
    {
        if (day >= fromDay && day <= toDay)
        {
            days.add(day);
        }
    }

    /**
     * The figures of {@code site} for events that happened in {@code [fromMillis, toMillis)}, rounded out to hours:
     * within each day the hours' cells are united, then the days' figures add up.
     */
    public RangeTotals totals(final String site, final long fromMillis, final long toMillis)
    {
        final RangeTotals totals = new RangeTotals(lock.readLock());
        if (toMillis <= fromMillis)
        {
            return totals;
        }
        final long fromHour = Math.floorDiv(fromMillis, MILLIS_PER_HOUR);
        final long toHour = Math.floorDiv(toMillis + MILLIS_PER_HOUR - 1, MILLIS_PER_HOUR);
        final List<Object[]> sealedSlices = new ArrayList<>();
        lock.readLock().lock();
        try
        {
            final int id = siteIds.find(site);
            if (id < 0 || id >= sites.size())
            {
                return totals;
            }
            final SiteDays days = sites.get(id);
            for (final long day : daysBetween(days, Math.floorDiv(fromHour, CellKind.HOURS), Math.floorDiv(toHour - 1, CellKind.HOURS)))
            {
                final int from = (int)Math.max(0, fromHour - day * CellKind.HOURS);
                final int to = (int)Math.min(CellKind.HOURS, toHour - day * CellKind.HOURS);
                final OpenDay open = days.open.get(day);
                final SealedDay sealed = days.sealed.get(day);
                if (open != null)
                {
                    final List<DayFigures> sources = new ArrayList<>(sealed == null ? List.of() : sealed.figures());
                    sources.add(open.cube);
                    totals.addOpenDay(sources, from, to);
                }
                else if (sealed != null)
                {
                    sealedSlices.add(new Object[] {sealed, from, to});
                }
            }
        }
        finally
        {
            lock.readLock().unlock();
        }
        for (final Object[] slice : sealedSlices)
        {
            totals.addSealedDay(((SealedDay)slice[0]).figures(), (Integer)slice[1], (Integer)slice[2]);
        }
        return totals;
    }
}
