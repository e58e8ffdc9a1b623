package io.tally.store.rollup;

import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.Cells;
import io.tally.store.rollup.day.DayCube;
import io.tally.store.rollup.segment.Segment;
import io.tally.store.rollup.segment.SegmentWriter;
import io.tally.store.rollup.segment.Snapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Keeps the rollups' heap bounded, on the rollup agent's thread: seals each open day that is over (its UTC end
 * {@link #LATENESS_MILLIS} behind the rollups' clock) and no longer written to (no record for
 * {@link #SEAL_AFTER_RECORDS} records, or for {@link #SEAL_AFTER_MILLIS}), seals open deltas the same way, folds a
 * day's deltas into a new day segment once it has {@link #MAX_DELTAS}, and drops days past the retention. The clock
 * is the later of the journal's (the newest receive time applied) and the wall clock's, so a quiet engine still
 * seals yesterday, and a replay of past days seals each once it has moved on.
 * <p>
 * Files are written without a lock (the agent is the only writer; queries may read the open day meanwhile); the
 * swap from open day to sealed day takes the write lock for a moment. A sealed file counts once a checkpoint names
 * it: the caller writes one whenever {@link #maintain} reports a change.
 */
final class RollupMaintenance
{
    /** Browser beacons are stamped when received; an hour covers clock differences and server events sent late. */
    static final long LATENESS_MILLIS = 3_600_000L;
    static final long SEAL_AFTER_RECORDS = 100_000;
    static final long SEAL_AFTER_MILLIS = 5_000;
    /** Deltas a sealed day may have before they are folded into it. */
    static final int MAX_DELTAS = 4;
    /** Past days a replay may fill at once before the least recent are sealed anyway. */
    static final int MAX_OPEN_PAST_DAYS = 16;

    private static final Logger LOG = LoggerFactory.getLogger("tally");

    /** When days are sealed and deltas folded: the constants above, or smaller ones in tests. */
    record Policy(long latenessMillis, long sealAfterRecords, long sealAfterMillis, int maxDeltas, int maxOpenPastDays)
    {
        static final Policy DEFAULT = new Policy(LATENESS_MILLIS, SEAL_AFTER_RECORDS, SEAL_AFTER_MILLIS, MAX_DELTAS,
            MAX_OPEN_PAST_DAYS);
    }

    private final Policy policy;
    private final Rollups rollups;
    private final RollupFiles files;
    private final LongSupplier wallClock;
    private final int retentionDays;
    /** Days sealed, deltas sealed, compactions and days dropped since start. */
    final long[] counts = new long[4];
    /** Files replaced by compaction or dropped by retention: deleted once a checkpoint no longer names them. */
    private final List<Path> obsolete = new ArrayList<>();

    RollupMaintenance(final Rollups rollups, final RollupFiles files, final LongSupplier wallClock, final int retentionDays)
    {
        this(rollups, files, wallClock, retentionDays, Policy.DEFAULT);
    }

    RollupMaintenance(final Rollups rollups, final RollupFiles files, final LongSupplier wallClock, final int retentionDays,
        final Policy policy)
    {
        this.policy = policy;
        this.rollups = rollups;
        this.files = files;
        this.wallClock = wallClock;
        this.retentionDays = retentionDays;
    }

    /** Seals, compacts and drops what is due; true when anything changed (a checkpoint should follow). */
    boolean maintain()
    {
        final long now = wallClock.getAsLong();
        final long clock = Math.max(now, rollups.latestReceivedAt);
        boolean changed = false;
        for (final Rollups.SiteDays site : List.copyOf(rollups.sites))
        {
            final List<Rollups.OpenDay> due = new ArrayList<>();
            final List<Rollups.OpenDay> past = new ArrayList<>();
            for (final Rollups.OpenDay open : site.open.values())
            {
                final boolean isPast = (open.cube.day() + 1) * Rollups.MILLIS_PER_DAY + policy.latenessMillis() <= clock;
                if (isPast)
                {
                    past.add(open);
                    if (idle(open, now))
                    {
                        due.add(open);
                    }
                }
            }
            if (past.size() - due.size() > policy.maxOpenPastDays())
            {
                past.removeAll(due);
                past.sort((a, b) -> Long.compare(a.lastApplied, b.lastApplied));
                due.addAll(past.subList(0, past.size() - policy.maxOpenPastDays()));
            }
            for (final Rollups.OpenDay open : due)
            {
                seal(site, open);
                changed = true;
            }
            changed |= compactAndDrop(site, clock);
        }
        return changed;
    }

    /** Not written to for a while: the replay (or the day) has moved on. */
    private boolean idle(final Rollups.OpenDay open, final long now)
    {
        if (open.lastApplied != open.seenApplied)
        {
            open.seenApplied = open.lastApplied;
            open.seenAtMillis = now;
        }
        return rollups.appliedCount - open.lastApplied >= policy.sealAfterRecords() ||
            now - open.seenAtMillis >= policy.sealAfterMillis();
    }

    /** Writes the open day (or delta) as a segment, then swaps it in for the open day. */
    void seal(final Rollups.SiteDays site, final Rollups.OpenDay open)
    {
        final long day = open.cube.day();
        final SealedDay sealed = site.sealed.get(day);
        final Path file = RollupFiles.withParent(open.delta ?
            files.delta(site.domain, day, sealed.generation, sealed.deltas.size() + 1) : files.sealed(site.domain, day, 1));
        SegmentWriter.write(open.cube, open.delta, file);
        final Segment segment = openSegment(file);
        rollups.lock.writeLock().lock();
        try
        {
            site.open.remove(day);
            site.sealed.put(day, open.delta ? sealed.withDelta(segment) : new SealedDay(segment, 1, List.of()));
            rollups.forgetRoute();
        }
        finally
        {
            rollups.lock.writeLock().unlock();
        }
        counts[open.delta ? 1 : 0]++;
        if (!open.delta)
        {
            site.lastVisitors = open.cube.visitors().added();
            site.lastSessions = open.cube.sessions().added();
        }
        LOG.debug("rollups: sealed {} day {}{} ({} records, {} bytes)", site.domain, day, open.delta ? " delta" : "",
            open.cube.records(), segment.bytes());
    }

    private boolean compactAndDrop(final Rollups.SiteDays site, final long clock)
    {
        boolean changed = false;
        for (final SealedDay sealed : List.copyOf(site.sealed.values()))
        {
            final long day = sealed.base.day();
            if (retentionDays > 0 && (day + retentionDays) * Rollups.MILLIS_PER_DAY <= clock && !site.open.containsKey(day))
            {
                drop(site, sealed);
                changed = true;
            }
            else if (sealed.deltas.size() >= policy.maxDeltas() && !site.open.containsKey(day))
            {
                compact(site, sealed);
                changed = true;
            }
        }
        return changed;
    }

    /** Folds a sealed day and its deltas into one new day segment, one generation up. */
    void compact(final Rollups.SiteDays site, final SealedDay sealed)
    {
        final long day = sealed.base.day();
        final DayCube merged = merge(sealed);
        final Path file = RollupFiles.withParent(files.sealed(site.domain, day, sealed.generation + 1));
        SegmentWriter.write(merged, false, file);
        final Segment segment = openSegment(file);
        rollups.lock.writeLock().lock();
        try
        {
            site.sealed.put(day, new SealedDay(segment, sealed.generation + 1, List.of()));
        }
        finally
        {
            rollups.lock.writeLock().unlock();
        }
        sealed.segments().forEach(old -> obsolete.add(old.file()));
        counts[2]++;
    }

    private void drop(final Rollups.SiteDays site, final SealedDay sealed)
    {
        rollups.lock.writeLock().lock();
        try
        {
            site.sealed.remove(sealed.base.day());
        }
        finally
        {
            rollups.lock.writeLock().unlock();
        }
        sealed.segments().forEach(old -> obsolete.add(old.file()));
        counts[3]++;
    }

    /** The files a checkpoint stopped naming; the caller deletes them once that checkpoint is written. */
    List<Path> takeObsolete()
    {
        final List<Path> taken = obsolete();
        forget(taken);
        return taken;
    }

    /** The files no checkpoint needs once the next is written, kept until {@link #forget} says it was. */
    List<Path> obsolete()
    {
        return List.copyOf(obsolete);
    }

    void forget(final List<Path> deleted)
    {
        obsolete.removeAll(deleted);
    }

    /**
     * One cube of a sealed day and its deltas: the deltas continue the day's ordinals, so the ids are laid out in
     * ordinal order and every bitmap unites as it is; texts are renumbered into the new dictionary.
     */
    static DayCube merge(final SealedDay sealed)
    {
        final DayCube merged = new DayCube(sealed.base.day());
        for (final Segment part : sealed.segments())
        {
            Snapshots.restoreTouches(merged, part, id -> merged.strings().id(part.string(id)));
        }
        for (final Segment part : sealed.segments())
        {
            Snapshots.restoreSessionRows(merged, part, id -> merged.strings().id(part.string(id)));
        }
        final Cells cells = merged.cells();
        long records = 0;
        for (final Segment part : sealed.segments())
        {
            records += part.records();
            for (final CellKind kind : CellKind.values())
            {
                if (kind.isMadeFromSessions())
                {
                    continue; // made again from the merged session rows when the day is written
                }
                part.cells(kind, 0, CellKind.HOURS, cell ->
                {
                    final int into = cells.cell(kind, hourOf(part, cell), key(merged, kind, part, 1, part.key1(cell)),
                        key(merged, kind, part, 2, part.key2(cell)), key(merged, kind, part, 3, part.key3(cell)));
                    SegmentWriter.add(cells, into, part, cell);
                });
            }
        }
        merged.restoreRecords(records);
        merged.restoreCaps();
        return merged;
    }

    private static int hourOf(final Segment part, final int cell)
    {
        return CellKind.hourOf(part.kindHour(cell));
    }

    private static int key(final DayCube into, final CellKind kind, final Segment from, final int n, final int key)
    {
        return kind.isText(n) ? into.strings().id(from.string(key)) : key;
    }

    private static Segment openSegment(final Path file)
    {
        try
        {
            return Segment.open(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read back " + file + ": " + ex.getMessage(), ex);
        }
    }
}
