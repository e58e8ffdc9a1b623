package io.tally.store.rollup;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.store.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The columnar rollups of every site: one {@link HourRollup} per site and UTC hour, grouped in
 * {@link DayRollup}s that give the day's ids dense ordinals, each event bucketed by its own time, so late and
 * replayed events land in the right hour. Remembers the journal index it covers, which goes into each
 * checkpoint with the figures, so a restart replays exactly the records after it.
 * <p>
 * Thread-safe: the rollup agent applies records, the stats API queries, under one monitor; ingest never
 * touches it.
 */
public final class Rollups
{
    private static final long MILLIS_PER_HOUR = 3_600_000L;
    private static final int MAGIC = 0x54524C35;
    private static final Logger LOG = LoggerFactory.getLogger("tally");

    private final Map<String, NavigableMap<Long, DayRollup>> sites;
    private final Touches touches;
    private final StringCache strings = new StringCache();
    /** Volatile so that lag can be read (metrics, tests) without waiting on the monitor a checkpoint holds. */
    private volatile long lastIndex;
    private String lastSite;
    private long lastDayNumber;
    private DayRollup lastDay;

    public Rollups()
    {
        this(new HashMap<>(), new Touches(), -1);
    }

    private Rollups(final Map<String, NavigableMap<Long, DayRollup>> sites, final Touches touches, final long lastIndex)
    {
        this.sites = sites;
        this.touches = touches;
        this.lastIndex = lastIndex;
    }

    /** Counts the record at journal index {@code index}. */
    public synchronized void apply(final long index, final EventRecordDecoder record)
    {
        final long hour = Math.floorDiv(record.eventTime(), MILLIS_PER_HOUR);
        final Touches.SessionTouch session = touches.session(record, strings);
        day(HourRollup.text(strings, record, EventRecord.SITE), Math.floorDiv(hour, DayRollup.HOURS))
            .apply(hour, record, session, touches.visitor(record, session), strings);
        lastIndex = index;
    }

    /** The site's day, made when new; the last one is kept at hand, as records mostly come in runs of one. */
    private DayRollup day(final String site, final long day)
    {
        if (site == lastSite && day == lastDayNumber)
        {
            return lastDay;
        }
        final DayRollup rollup = sites.computeIfAbsent(site, s -> new TreeMap<>()).computeIfAbsent(day, DayRollup::new);
        lastSite = site;
        lastDayNumber = day;
        lastDay = rollup;
        return rollup;
    }

    /** The journal index of the last record counted; -1 for none. */
    public long lastIndex()
    {
        return lastIndex;
    }

    /**
     * The figures of {@code site} for events that happened in {@code [fromMillis, toMillis)}, rounded out to hours:
     * within each day the hours' bitmaps are united, then the days' figures add up.
     */
    public synchronized RangeTotals totals(final String site, final long fromMillis, final long toMillis)
    {
        final RangeTotals totals = new RangeTotals();
        final NavigableMap<Long, DayRollup> days = sites.get(site);
        if (days != null && toMillis > fromMillis)
        {
            final long fromHour = Math.floorDiv(fromMillis, MILLIS_PER_HOUR);
            final long toHour = Math.floorDiv(toMillis + MILLIS_PER_HOUR - 1, MILLIS_PER_HOUR);
            final long fromDay = Math.floorDiv(fromHour, DayRollup.HOURS);
            final long toDay = Math.floorDiv(toHour - 1, DayRollup.HOURS);
            for (final DayRollup day : days.subMap(fromDay, true, toDay, true).values())
            {
                totals.addDay(day.merge(fromHour, toHour));
            }
        }
        return totals;
    }

    /**
     * Writes a checkpoint: the figures and the journal index they cover, atomically, streamed to the file under
     * the monitor (queries wait for the writing, not for the disk's flush).
     */
    public void checkpoint(final Path file)
    {
        AtomicFiles.write(file, stream ->
        {
            final DataOutputStream out = new DataOutputStream(stream);
            synchronized (this)
            {
                out.writeInt(MAGIC);
                out.writeLong(lastIndex);
                touches.write(out);
                out.writeInt(sites.size());
                for (final Map.Entry<String, NavigableMap<Long, DayRollup>> site : sites.entrySet())
                {
                    out.writeUTF(site.getKey());
                    out.writeInt(site.getValue().size());
                    for (final Map.Entry<Long, DayRollup> day : site.getValue().entrySet())
                    {
                        out.writeLong(day.getKey());
                        day.getValue().write(out);
                    }
                }
                out.flush();
            }
        });
    }

    /**
     * Loads a checkpoint, or empty rollups when there is none or it was written by another version of the layout
     * (then the agent applies the whole journal again: rollups are derived, the journal is the record).
     */
    public static Rollups load(final Path file)
    {
        if (!Files.exists(file))
        {
            return new Rollups();
        }
        try (InputStream stream = Files.newInputStream(file);
            DataInputStream in = new DataInputStream(new BufferedInputStream(stream)))
        {
            if (in.readInt() != MAGIC)
            {
                LOG.warn("{} is a rollup checkpoint of another version: recounting the rollups from the journal", file);
                return new Rollups();
            }
            final long lastIndex = in.readLong();
            final Touches touches = new Touches();
            touches.read(in);
            final Map<String, NavigableMap<Long, DayRollup>> sites = new HashMap<>();
            for (int s = in.readInt(); s > 0; s--)
            {
                final String site = in.readUTF();
                final NavigableMap<Long, DayRollup> days = new TreeMap<>();
                for (int d = in.readInt(); d > 0; d--)
                {
                    final long day = in.readLong();
                    days.put(day, DayRollup.read(day, in));
                }
                sites.put(site, days);
            }
            return new Rollups(sites, touches, lastIndex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
    }
}
