package io.tally.store.rollup;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.codec.EventType;
import org.roaringbitmap.RoaringBitmap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the stats API needs of one site in one UTC hour, exact: counts, and visitors and sessions as
 * bitmaps of their day ordinals ({@link DayRollup}), so unions over the hours of a day give exact distinct
 * counts.
 */
final class HourRollup
{
    /** The meta fields counted, in the order of {@link #meta}. */
    static final int[] META_FIELDS = {EventRecord.LABEL, EventRecord.ACTION, EventRecord.CATEGORY};

    long pageviews;
    long events;
    final RoaringBitmap visitors;
    final RoaringBitmap sessions;
    final Map<String, BigDecimal> revenue;
    final Map<String, NameRollup> names;
    final Map<String, GoalRollup> goals;
    /** Events by their meta label, action and category ({@code el}, {@code ea}, {@code ec}). */
    final Counts[] meta;

    HourRollup()
    {
        this(0, 0, new RoaringBitmap(), new RoaringBitmap(), new TreeMap<>(), new HashMap<>(), new HashMap<>(),
            new Counts[] {new Counts(), new Counts(), new Counts()});
    }

    private HourRollup(final long pageviews, final long events, final RoaringBitmap visitors, final RoaringBitmap sessions,
        final Map<String, BigDecimal> revenue, final Map<String, NameRollup> names, final Map<String, GoalRollup> goals,
        final Counts[] meta)
    {
        this.pageviews = pageviews;
        this.events = events;
        this.visitors = visitors;
        this.sessions = sessions;
        this.revenue = revenue;
        this.names = names;
        this.goals = goals;
        this.meta = meta;
    }

    /** Counts one journal record. Pageviews and engagement are not "events"; every other type is. */
    void apply(final EventRecordDecoder record, final int visitor, final int session, final Touches.SessionTouch sessionTouch,
        final Touches.VisitorTouch firstTouch, final StringCache strings)
    {
        visitors.add(visitor);
        sessions.add(session);
        final EventType type = record.type();
        final BigDecimal amount = record.hasFlag(EventRecord.FLAG_REVENUE) ?
            BigDecimal.valueOf(record.revenueUnscaled(), record.revenueScale()) : null;
        if (amount != null)
        {
            revenue.merge(record.currency(), amount, BigDecimal::add);
        }
        if (type == EventType.PAGEVIEW)
        {
            pageviews++;
        }
        else if (type != EventType.ENGAGEMENT)
        {
            events++;
            applyName(record, visitor, strings);
        }
        for (int m = 0; m < META_FIELDS.length; m++)
        {
            if (record.stringLength(META_FIELDS[m]) > 0)
            {
                meta[m].add(text(strings, record, META_FIELDS[m]), 1);
            }
        }
        if (record.hasFlag(EventRecord.FLAG_GOAL))
        {
            applyGoal(record, visitor, amount, sessionTouch, firstTouch, text(strings, record, EventRecord.GOAL));
        }
    }

    /** Counts an event under its name (past {@link RollupCaps#MAX_NAMES_PER_HOUR} new names, {@code (other)}). */
    private void applyName(final EventRecordDecoder record, final int visitor, final StringCache strings)
    {
        final NameRollup name = RollupCaps.capped(names, text(strings, record, EventRecord.NAME),
            RollupCaps.MAX_NAMES_PER_HOUR, n -> new NameRollup());
        name.total.add(visitor);
        boolean keysPastCap = false;
        for (int p = 0; p < record.propertyCount(); p++)
        {
            final int key = EventRecord.STRING_FIELDS + 2 * p;
            keysPastCap |= !name.addProperty(text(strings, record, key), text(strings, record, key + 1), visitor);
        }
        if (keysPastCap)
        {
            name.addOtherKey(visitor);
        }
    }

    private void applyGoal(final EventRecordDecoder record, final int visitor, final BigDecimal amount,
        final Touches.SessionTouch session, final Touches.VisitorTouch firstTouch, final String goalName)
    {
        final GoalRollup goal = goals.computeIfAbsent(goalName, g -> new GoalRollup());
        goal.matches++;
        if (amount != null)
        {
            goal.revenue.merge(record.currency(), amount, BigDecimal::add);
        }
        if (!record.hasFlag(EventRecord.FLAG_CONVERSION))
        {
            return;
        }
        goal.conversions++;
        goal.converters.add(visitor);
        goal.weight += record.goalWeight();
        goal.attribution.record(session, firstTouch, record.eventTime());
        if (record.hasFlag(EventRecord.FLAG_VALUE) && !record.valueCurrency().isEmpty())
        {
            goal.value.merge(record.valueCurrency(), BigDecimal.valueOf(record.valueUnscaled(), record.valueScale()),
                BigDecimal::add);
        }
    }

    /** String field {@code field} of the record (a property key or value too), through the cache. */
    static String text(final StringCache strings, final EventRecordDecoder record, final int field)
    {
        return strings.get(record.buffer(), record.stringOffset(field), record.stringLength(field));
    }

    /** Adds another hour of the same day (same ordinals): counts add, bitmaps unite. */
    void addAll(final HourRollup hour)
    {
        pageviews += hour.pageviews;
        events += hour.events;
        visitors.or(hour.visitors);
        sessions.or(hour.sessions);
        Bitmaps.addMoney(revenue, hour.revenue);
        hour.names.forEach((name, rollup) -> names.computeIfAbsent(name, n -> new NameRollup()).addAll(rollup));
        hour.goals.forEach((name, rollup) -> goals.computeIfAbsent(name, n -> new GoalRollup()).addAll(rollup));
        for (int m = 0; m < meta.length; m++)
        {
            meta[m].addAll(hour.meta[m]);
        }
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeLong(pageviews);
        out.writeLong(events);
        Bitmaps.write(out, visitors);
        Bitmaps.write(out, sessions);
        Bitmaps.writeMoney(out, revenue);
        out.writeInt(names.size());
        for (final Map.Entry<String, NameRollup> name : names.entrySet())
        {
            out.writeUTF(name.getKey());
            name.getValue().write(out);
        }
        out.writeInt(goals.size());
        for (final Map.Entry<String, GoalRollup> goal : goals.entrySet())
        {
            out.writeUTF(goal.getKey());
            goal.getValue().write(out);
        }
        for (final Counts counts : meta)
        {
            counts.write(out);
        }
    }

    static HourRollup read(final DataInput in) throws IOException
    {
        final long pageviews = in.readLong();
        final long events = in.readLong();
        final RoaringBitmap visitors = Bitmaps.read(in);
        final RoaringBitmap sessions = Bitmaps.read(in);
        final Map<String, BigDecimal> revenue = Bitmaps.readMoney(in);
        final Map<String, NameRollup> names = new HashMap<>();
        for (int n = in.readInt(); n > 0; n--)
        {
            names.put(in.readUTF(), NameRollup.read(in));
        }
        final Map<String, GoalRollup> goals = new HashMap<>();
        for (int g = in.readInt(); g > 0; g--)
        {
            goals.put(in.readUTF(), GoalRollup.read(in));
        }
        final Counts[] meta = {Counts.read(in), Counts.read(in), Counts.read(in)};
        return new HourRollup(pageviews, events, visitors, sessions, revenue, names, goals, meta);
    }
}
