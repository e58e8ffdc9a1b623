package io.tally.engine.api.stats;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.BeaconField;
import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.codec.Outcome;
import io.tally.codec.TextView;
import io.tally.codec.UrlParts;
import io.tally.codec.json.Json;
import io.tally.matcher.Goal;
import io.tally.matcher.GoalMatcher;
import io.tally.matcher.MatchInput;
import io.tally.matcher.MatchState;
import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.NewestFirstReader;
import io.tally.store.UrlPath;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Test this goal": a goal definition, not saved, matched with the real {@link GoalMatcher} against the site's
 * newest journal records ({@link #MAX_SCAN} at most, robots left out), as if it were the site's only goal. Each
 * record is turned back into the beacon it came from (its type, every text field it keeps, its properties)
 * and decoded by the beacon decoder, so the matcher sees what it saw at ingest. A cold path: the admin API runs it
 * off the event loop; it builds a string per record.
 */
public final class GoalTrial
{
    /** Journal records a trial reads back through at most, as the sessions report does. */
    static final int MAX_SCAN = StatsApi.MAX_SESSION_SCAN;
    /** Matched events the answer lists, newest first. */
    static final int MAX_EXAMPLES = 20;

    private final Journal journal;

    public GoalTrial(final Journal journal)
    {
        this.journal = journal;
    }

    /** What the goal would have matched: counts of events, sessions and visitors, the newest matches. */
    public Map<String, Object> run(final String site, final Goal goal)
    {
        final Matching matching = new Matching(new GoalMatcher(List.of(goal)));
        final Set<Long> sessions = new HashSet<>();
        final Set<Long> visitors = new HashSet<>();
        final Set<Long> allSessions = new HashSet<>();
        final List<Object> examples = new ArrayList<>();
        final long[] counts = new long[3]; // scanned for the site, matched, already matched by another goal
        try (NewestFirstReader reader = journal.newNewestFirstReader())
        {
            final JournalReader.RecordHandler trial = (index, record) ->
            {
                if (record.robotReason() != EventRecord.ROBOT_NONE || !record.string(EventRecord.SITE).equals(site))
                {
                    return;
                }
                counts[0]++;
                allSessions.add(record.sessionId());
                if (!matching.matches(record))
                {
                    return;
                }
                counts[1]++;
                sessions.add(record.sessionId());
                visitors.add(record.visitorId());
                final String current = record.hasFlag(EventRecord.FLAG_GOAL) ? record.string(EventRecord.GOAL) : null;
                if (current != null && !current.equals(goal.name()))
                {
                    counts[2]++;
                }
                if (examples.size() < MAX_EXAMPLES)
                {
                    examples.add(example(record, current));
                }
            };
            for (int scanned = 0; scanned < MAX_SCAN; )
            {
                final int read = reader.read(trial, Math.min(1024, MAX_SCAN - scanned));
                if (read == 0)
                {
                    break;
                }
                scanned += read;
            }
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("site", site);
        body.put("goal", goal.name());
        body.put("scanned", counts[0]);
        body.put("sessions_scanned", allSessions.size());
        body.put("events", counts[1]);
        body.put("sessions", sessions.size());
        body.put("visitors", visitors.size());
        body.put("taken_by_other_goals", counts[2]);
        body.put("examples", examples);
        return body;
    }

    private static Map<String, Object> example(final EventRecordDecoder record, final String current)
    {
        final Map<String, Object> event = new LinkedHashMap<>();
        event.put("ts", record.eventTime());
        event.put("session", Long.toUnsignedString(record.sessionId()));
        event.put("type", record.type().dumpName());
        event.put("name", record.string(EventRecord.NAME));
        event.put("path", UrlPath.of(record.string(EventRecord.URL)));
        event.put("current_goal", current);
        return event;
    }

    /** One matcher, its scratch, and a decoder that reads each record back as its beacon. */
    private static final class Matching
    {
        private final GoalMatcher matcher;
        private final MatchState state = new MatchState();
        private final MatchInput input = new MatchInput();
        private final BeaconDecoder decoder = new BeaconDecoder();
        private final Beacon beacon = new Beacon();
        private final TextView scratch = new TextView();

        Matching(final GoalMatcher matcher)
        {
            this.matcher = matcher;
        }

        boolean matches(final EventRecordDecoder record)
        {
            final ByteBuf body = Unpooled.wrappedBuffer(beaconOf(record).getBytes(StandardCharsets.UTF_8));
            try
            {
                if (decoder.decode(body, beacon) != Outcome.ACCEPTED)
                {
                    return false; // a record no beacon gives back (none is known): it matches nothing
                }
                input.wrap(beacon);
                UrlParts.path(beacon.url(), input.path());
                if (beacon.target().isPresent())
                {
                    UrlParts.host(beacon.target(), input.targetHost());
                }
                UrlParts.asin(beacon.target(), input.asin(), scratch);
                return matcher.match(input, state) == 0;
            }
            finally
            {
                body.release();
            }
        }

        /** The beacon a record was made from, as far as goals read it. */
        private static String beaconOf(final EventRecordDecoder record)
        {
            final Map<String, Object> beacon = new LinkedHashMap<>();
            beacon.put("t", String.valueOf(record.type().wireCode()));
            for (final BeaconField field : BeaconField.values())
            {
                final String value = field.recordSlot() == BeaconField.NOT_RECORDED ? "" : record.string(field);
                if (!value.isEmpty())
                {
                    beacon.put(field.key(), value);
                }
            }
            if (record.propertyCount() > 0)
            {
                final List<Object> keys = new ArrayList<>();
                final List<Object> values = new ArrayList<>();
                for (int p = 0; p < record.propertyCount(); p++)
                {
                    keys.add(record.propertyKey(p));
                    values.add(record.propertyValue(p));
                }
                beacon.put("mk", keys);
                beacon.put("mv", values);
            }
            return Json.write(beacon);
        }
    }
}
