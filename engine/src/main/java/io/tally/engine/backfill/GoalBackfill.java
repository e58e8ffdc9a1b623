package io.tally.engine.backfill;

import io.tally.codec.BackfillRecordEncoder;
import io.tally.codec.Beacon;
import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.codec.RecordBeacon;
import io.tally.codec.UrlParts;
import io.tally.codec.TextView;
import io.tally.engine.ingest.ConversionTracker;
import io.tally.engine.site.GoalBook;
import io.tally.matcher.Goal;
import io.tally.matcher.GoalMatcher;
import io.tally.matcher.MatchInput;
import io.tally.matcher.MatchState;
import io.tally.store.Journal;
import io.tally.store.JournalAppender;
import io.tally.store.JournalReader;
import org.agrona.collections.LongHashSet;
import org.agrona.collections.Object2ObjectHashMap;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Evaluates one goal over the events already in the journal and records what it would have matched, as backfilled
 * conversion records ({@link EventRecord#BACKFILL_KIND}) appended to the journal: the rollups and the event store
 * count them as they count everything else, exactly once, because each is one journal record.
 * <p>
 * The rules are ingest's: an event counts for the goal when the site's goals as they are now (same matcher, same
 * priority) pick that goal for it, and no goal claimed it before (one matched at ingest, or an earlier backfill);
 * the first match a visitor-day is {@code first}; a fire-once goal converts on it only. Claims are read from the
 * journal before anything is decided, so a rerun, or a run after one was killed midway, appends only what is
 * missing: the journal is the only memory of what was done. One backfill runs at a time.
 */
public final class GoalBackfill
{
    /** What a run found and did. */
    public record Result(String site, String goal, long scanned, long matched, long conversions, long alreadyClaimed,
        long appended)
    {
    }

    /** The goal is not among the site's goals. */
    public static final class NoSuchGoalException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        NoSuchGoalException(final String message)
        {
            super(message);
        }
    }

    /** A run holds more claims and visitor-days than its cap: a shorter range fits. */
    public static final class TooLargeException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        TooLargeException(final String message)
        {
            super(message);
        }
    }

    private static final long DAY_MILLIS = 86_400_000L;
    private static final int BATCH = 4096;
    /** A trusted event's {@code ts} may be this far ahead of its receipt: its record may be in the day before its time's. */
    private static final long CLOCK_SKEW_MILLIS = 10 * 60_000L;

    private final Journal journal;
    private final GoalBook goals;
    private final ConversionTracker conversions;
    private final LongSupplier clock;
    private final int maxEntries;
    private final ReentrantLock running = new ReentrantLock();

    /**
     * @param maxEntries the most event claims plus converted visitor-days a run may hold in memory (about 16 bytes
     *                   each); past it the run stops with {@link TooLargeException}, having appended what it decided.
     */
    public GoalBackfill(final Journal journal, final GoalBook goals, final ConversionTracker conversions,
        final LongSupplier clock, final int maxEntries)
    {
        this.journal = journal;
        this.goals = goals;
        this.conversions = conversions;
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /**
     * Backfills {@code goalName} of {@code site} over the events with a time from {@code fromMillis} (inclusive) to
     * {@code toMillis} (exclusive) journaled before the call. Blocking: an API thread's work.
     *
     * @return null when another backfill is running.
     */
    public Result run(final String site, final String goalName, final long fromMillis, final long toMillis)
    {
        if (!running.tryLock())
        {
            return null;
        }
        try
        {
            final GoalMatcher matcher = goals.matcher(site);
            final int goal = indexOf(matcher, goalName);
            final long end = journal.lastIndex();
            final Claims claims = claims(site, goalName, fromMillis, end);
            return decide(site, matcher, goal, fromMillis, toMillis, end, claims);
        }
        finally
        {
            running.unlock();
        }
    }

    private static int indexOf(final GoalMatcher matcher, final String name)
    {
        for (int i = 0; i < matcher.goals().size(); i++)
        {
            if (matcher.goal(i).name().equals(name))
            {
                return i;
            }
        }
        throw new NoSuchGoalException("no goal named '" + name + "'");
    }

    /** What the journal says was done already: the site's events claimed by a backfill, the goal's visitor-days. */
    private final class Claims
    {
        final LongHashSet claimed = new LongHashSet();
        /** Visitor-days (visitor id per UTC day) the goal matched already, by day. */
        final Object2ObjectHashMap<Long, LongHashSet> matchedDays = new Object2ObjectHashMap<>();
        long entries;

        void claim(final long index)
        {
            if (claimed.add(index))
            {
                grow();
            }
        }

        /** Marks the visitor's day matched; false when it was already. */
        boolean match(final long visitor, final long day)
        {
            final boolean added = matchedDays.computeIfAbsent(day, key -> new LongHashSet()).add(visitor);
            if (added)
            {
                grow();
            }
            return added;
        }

        private void grow()
        {
            if (++entries > maxEntries)
            {
                throw new TooLargeException("the range holds more than " + maxEntries + " claims and converted " +
                    "visitor-days; backfill a shorter range at a time");
            }
        }
    }

    private Claims claims(final String site, final String goalName, final long fromMillis, final long end)
    {
        final Claims claims = new Claims();
        final byte[] siteBytes = site.getBytes(StandardCharsets.UTF_8);
        final byte[] goalBytes = goalName.getBytes(StandardCharsets.UTF_8);
        scan(fromMillis, end, true, (index, record) ->
        {
            if (!is(record, EventRecord.SITE, siteBytes))
            {
                return;
            }
            if (record.isBackfill())
            {
                claims.claim(record.backfillOf());
            }
            if (record.hasFlag(EventRecord.FLAG_GOAL) && is(record, EventRecord.GOAL, goalBytes))
            {
                claims.match(record.visitorId(), Math.floorDiv(record.eventTime(), DAY_MILLIS));
            }
        });
        return claims;
    }

    private Result decide(final String site, final GoalMatcher matcher, final int goal, final long fromMillis,
        final long toMillis, final long end, final Claims claims)
    {
        final byte[] siteBytes = site.getBytes(StandardCharsets.UTF_8);
        final Matching matching = new Matching(matcher);
        final Goal definition = matcher.goal(goal);
        final long today = Math.floorDiv(clock.getAsLong(), DAY_MILLIS);
        final BackfillRecordEncoder encoder = new BackfillRecordEncoder();
        final long[] counts = new long[5]; // scanned, matched, conversions, already claimed, appended
        try (JournalAppender appender = journal.newAppender())
        {
            scan(fromMillis, end, false, (index, record) ->
            {
                if (!is(record, EventRecord.SITE, siteBytes) || record.eventTime() < fromMillis || record.eventTime() >= toMillis ||
                    record.robotReason() != EventRecord.ROBOT_NONE)
                {
                    return;
                }
                counts[0]++;
                if (record.hasFlag(EventRecord.FLAG_GOAL) || matching.winner(record) != goal)
                {
                    return;
                }
                counts[1]++;
                if (claims.claimed.contains(index))
                {
                    counts[3]++;
                    return;
                }
                final long day = Math.floorDiv(record.eventTime(), DAY_MILLIS);
                boolean first = claims.match(record.visitorId(), day);
                if (day == today)
                {
                    // the live engine's memory of today's conversions: a live event may have taken the visitor's first
                    first = conversions.recordFirst(record.visitorId(), matcher.goalKey(goal), record.eventTime()) && first;
                }
                final boolean converts = definition.isConversion() && (first || !definition.fireOnce());
                counts[2] += converts ? 1 : 0;
                appender.append(encoder.memory(), encoder.encode(record, index, conversion(matcher, goal, record, first,
                    converts)));
                claims.claim(index);
                counts[4]++;
            });
        }
        return new Result(site, definition.name(), counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    /** The goal's fields as ingest decides them: name, weight, and the value (the event's, else the goal's amount). */
    private static BackfillRecordEncoder.Conversion conversion(final GoalMatcher matcher, final int goal,
        final EventRecordDecoder record, final boolean first, final boolean converts)
    {
        final Goal definition = matcher.goal(goal);
        final boolean sent = record.hasFlag(EventRecord.FLAG_VALUE);
        if (definition.kind() != Goal.Kind.MACRO)
        {
            return new BackfillRecordEncoder.Conversion(matcher.nameBytes(goal), definition.weight(), first, converts, sent,
                record.valueUnscaled(), record.valueScale(), null);
        }
        return new BackfillRecordEncoder.Conversion(matcher.nameBytes(goal), definition.weight(), first, converts, true,
            sent ? record.valueUnscaled() : matcher.valueUnscaled(goal), sent ? record.valueScale() : matcher.valueScale(goal),
            matcher.valueCurrency(goal));
    }

    /**
     * Reads the journal from the UTC day of {@code fromMillis} (events of the range are received on or after it, but
     * for a trusted event's {@code ts} a few minutes ahead) to {@code end}.
     */
    private void scan(final long fromMillis, final long end, final boolean withBackfills, final JournalReader.RecordHandler handler)
    {
        try (JournalReader reader = journal.newReader())
        {
            if (withBackfills)
            {
                reader.withBackfills();
            }
            final long fromDay = Math.floorDiv(fromMillis - CLOCK_SKEW_MILLIS, DAY_MILLIS);
            if (end < 0 || !reader.moveToFirstCycleIn(fromDay, journal.cycleOf(end)))
            {
                return;
            }
            final JournalReader.RecordHandler upToEnd = (index, record) ->
            {
                if (index <= end)
                {
                    handler.onRecord(index, record);
                }
            };
            while (reader.lastReadIndex() < end && reader.read(upToEnd, BATCH) > 0)
            {
                // until the end taken at the start: later events were matched at ingest
            }
        }
    }

    private static boolean is(final EventRecordDecoder record, final int field, final byte[] utf8)
    {
        final int length = record.stringLength(field);
        if (length != utf8.length)
        {
            return false;
        }
        final int offset = record.stringOffset(field);
        for (int i = 0; i < length; i++)
        {
            if (record.buffer().getByte(offset + i) != utf8[i])
            {
                return false;
            }
        }
        return true;
    }

    /** The site's goals against a stored event, with what ingest derives from the URLs. */
    private static final class Matching
    {
        private final GoalMatcher matcher;
        private final RecordBeacon records = new RecordBeacon();
        private final Beacon beacon = new Beacon();
        private final MatchInput input = new MatchInput();
        private final MatchState state = new MatchState();
        private final TextView scratchHost = new TextView();

        Matching(final GoalMatcher matcher)
        {
            this.matcher = matcher;
        }

        /** The index of the goal ingest would pick for the event now, or -1. */
        int winner(final EventRecordDecoder record)
        {
            records.fill(record, beacon);
            input.wrap(beacon);
            if (beacon.url().isPresent())
            {
                UrlParts.path(beacon.url(), input.path());
            }
            if (beacon.target().isPresent())
            {
                UrlParts.asin(beacon.target(), input.asin(), scratchHost);
                UrlParts.host(beacon.target(), input.targetHost());
            }
            return matcher.match(input, state);
        }
    }
}
