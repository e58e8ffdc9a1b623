package io.tally.store.rollup;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
    /** The checkpoint layout's version: a checkpoint of another is recounted from the journal. */
    private static final int MAGIC = 0x54524C35;

    private final Map<String, NavigableMap<Long, DayRollup>> sites;
    private final Touches touches;
    private final StringCache strings = new StringCache();
    /** Volatile so that lag can be read (metrics, tests) without waiting on the monitor a checkpoint holds. */
    private volatile long lastIndex;
    private volatile long unreadable;
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

    /** Notes journal records the agent skipped because this build cannot read them. */
    void countUnreadable(final long records)
    {
        unreadable += records;
    }

    /** Journal records skipped since start because this build cannot read them (a newer layout, or cut short). */
    public long unreadableCount()
    {
        return unreadable;
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
     * Writes the figures and the journal index they cover to a checkpoint's stream, under the monitor (queries
     * wait for the writing, not for the disk's flush).
     */
    void writeTo(final OutputStream stream) throws IOException
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
    }

    /**
     * Reads what {@link #writeTo} wrote.
     *
     * @throws IOException when the stream holds another layout version or is cut short.
     */
    static Rollups readFrom(final InputStream stream) throws IOException
    {
        final DataInputStream in = new DataInputStream(stream);
        final int magic = in.readInt();
        if (magic != MAGIC)
        {
            throw new IOException(String.format("layout %08x, not this version's %08x", magic, MAGIC));
        }
        final long lastIndex = in.readLong();
        if (lastIndex < -1)
        {
            throw new IOException("journal index " + lastIndex);
        }
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
}
