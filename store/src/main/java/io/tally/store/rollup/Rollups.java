package io.tally.store.rollup;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.store.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
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
 * The columnar rollups of every site: one {@link HourRollup} per site and UTC hour, bucketed by each event's
 * own time, so late and replayed events land in the right hour. Remembers the journal index it covers, which
 * goes into each checkpoint with the figures, so a restart replays exactly the records after it.
 * <p>
 * Thread-safe: the rollup agent applies records, the stats API queries, under one monitor; ingest never
 * touches it.
 */
public final class Rollups
{
    private static final long MILLIS_PER_HOUR = 3_600_000L;
    private static final int MAGIC = 0x54524C33;

    private final Map<String, NavigableMap<Long, HourRollup>> sites;
    private final Touches touches;
    private long lastIndex;

    public Rollups()
    {
        this(new HashMap<>(), new Touches(), -1);
    }

    private Rollups(final Map<String, NavigableMap<Long, HourRollup>> sites, final Touches touches, final long lastIndex)
    {
        this.sites = sites;
        this.touches = touches;
        this.lastIndex = lastIndex;
    }

    /** Counts the record at journal index {@code index}. */
    public synchronized void apply(final long index, final EventRecordDecoder record)
    {
        final long hour = Math.floorDiv(record.receivedAt(), MILLIS_PER_HOUR);
        final Touches.SessionTouch session = touches.session(record);
        sites.computeIfAbsent(record.string(EventRecord.SITE), s -> new TreeMap<>())
            .computeIfAbsent(hour, h -> new HourRollup())
            .apply(record, session, touches.visitor(record, session));
        lastIndex = index;
    }

    /** The journal index of the last record counted; -1 for none. */
    public synchronized long lastIndex()
    {
        return lastIndex;
    }

    /** The figures of {@code site} for events received in {@code [fromMillis, toMillis)}, rounded out to hours. */
    public synchronized RangeTotals totals(final String site, final long fromMillis, final long toMillis)
    {
        final HourRollup merged = new HourRollup();
        final NavigableMap<Long, HourRollup> hours = sites.get(site);
        if (hours != null)
        {
            final long from = Math.floorDiv(fromMillis, MILLIS_PER_HOUR);
            final long to = Math.floorDiv(toMillis + MILLIS_PER_HOUR - 1, MILLIS_PER_HOUR);
            for (final HourRollup hour : hours.subMap(from, true, to, false).values())
            {
                merge(merged, hour);
            }
        }
        return new RangeTotals(merged);
    }

    private static void merge(final HourRollup into, final HourRollup hour)
    {
        into.pageviews += hour.pageviews;
        into.events += hour.events;
        into.visitors.or(hour.visitors);
        into.sessions.or(hour.sessions);
        Bitmaps.addMoney(into.revenue, hour.revenue);
        hour.names.forEach((name, rollup) ->
        {
            final NameRollup target = into.names.computeIfAbsent(name, n -> new NameRollup());
            target.total.addAll(rollup.total);
            rollup.properties.forEach((key, values) -> values.forEach((value, counts) -> target.properties
                .computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(value, v -> new ValueRollup()).addAll(counts)));
        });
        hour.goals.forEach((name, rollup) -> into.goals.computeIfAbsent(name, n -> new GoalRollup()).addAll(rollup));
        for (int m = 0; m < into.meta.length; m++)
        {
            into.meta[m].addAll(hour.meta[m]);
        }
    }

    /** Writes a checkpoint: the figures and the journal index they cover, atomically. */
    public void checkpoint(final Path file)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes)))
        {
            synchronized (this)
            {
                out.writeInt(MAGIC);
                out.writeLong(lastIndex);
                touches.write(out);
                out.writeInt(sites.size());
                for (final Map.Entry<String, NavigableMap<Long, HourRollup>> site : sites.entrySet())
                {
                    out.writeUTF(site.getKey());
                    out.writeInt(site.getValue().size());
                    for (final Map.Entry<Long, HourRollup> hour : site.getValue().entrySet())
                    {
                        out.writeLong(hour.getKey());
                        hour.getValue().write(out);
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot encode the rollups", ex);
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /** Loads a checkpoint, or empty rollups when there is none. */
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
                throw new IllegalStateException(file + " is not a rollup checkpoint");
            }
            final long lastIndex = in.readLong();
            final Touches touches = new Touches();
            touches.read(in);
            final Map<String, NavigableMap<Long, HourRollup>> sites = new HashMap<>();
            for (int s = in.readInt(); s > 0; s--)
            {
                final String site = in.readUTF();
                final NavigableMap<Long, HourRollup> hours = new TreeMap<>();
                for (int h = in.readInt(); h > 0; h--)
                {
                    hours.put(in.readLong(), HourRollup.read(in));
                }
                sites.put(site, hours);
            }
            return new Rollups(sites, touches, lastIndex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
    }
}
