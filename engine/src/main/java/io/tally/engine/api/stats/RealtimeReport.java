package io.tally.engine.api.stats;

import io.tally.codec.EventRecord;
import io.tally.codec.EventType;
import io.tally.codec.json.Json;
import io.tally.engine.api.request.Answer;
import io.tally.engine.api.request.QueryParameters;
import io.tally.engine.site.Site;
import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.NewestFirstReader;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@code GET /api/v1/stats/{site}/realtime}: the site's events received in the last {@link #MINUTES} minutes, read
 * back from the newest journal records (the rollups count by the hour): events, pageviews, visitors and the events of
 * each minute, oldest first. Robots, and events the trusted API sent with an older time, are left out. At most {@link #MAX_SCAN} records are read; past that the answer
 * says {@code "capped": true} and its counts are a lower bound. With {@code filters} the event store answers
 * ({@link FilteredRealtime}). A cold path, off the event loop.
 */
public final class RealtimeReport
{
    static final int MINUTES = 30;
    /** Journal records read back at most: the same bound as the sessions report's. */
    static final int MAX_SCAN = StatsApi.MAX_SESSION_SCAN;

    private final Journal journal;
    private final LongSupplier clock;
    private final FilteredRequests filtered;
    private final FilteredRealtime realtime;

    public RealtimeReport(final Journal journal, final LongSupplier clock, final FilteredRequests filtered)
    {
        this.journal = journal;
        this.clock = clock;
        this.filtered = filtered;
        this.realtime = new FilteredRealtime(journal);
    }

    /** The report; with {@code filters}, answered by the event store ({@link FilteredRealtime}). */
    public Answer answer(final Site site, final QueryParameters query)
    {
        query.allowOnly(List.of("filters"), "realtime");
        if (!query.has("filters"))
        {
            return answer(site);
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("site", site.domain());
        body.put("minutes", MINUTES);
        return filtered.answer(body, reports -> realtime.answer(body, reports, site, clock.getAsLong(), MINUTES,
            query.get("filters")));
    }

    private Answer answer(final Site site)
    {
        final long now = clock.getAsLong();
        final long since = now - MINUTES * 60_000L;
        final long[] perMinute = new long[MINUTES];
        final long[] counts = new long[2]; // events, pageviews
        final boolean[] older = {false};
        final boolean[] capped = {false};
        final Set<Long> visitors = new HashSet<>();
        int scanned = 0;
        try (NewestFirstReader reader = journal.newNewestFirstReader())
        {
            final JournalReader.RecordHandler count = (index, record) ->
            {
                if (record.receivedAt() < since)
                {
                    older[0] = true; // received in order: everything before this one is older still
                    return;
                }
                if (older[0] || record.eventTime() < since || record.robotReason() != EventRecord.ROBOT_NONE ||
                    !record.string(EventRecord.SITE).equals(site.domain()))
                {
                    return;
                }
                counts[0]++;
                counts[1] += record.type() == EventType.PAGEVIEW ? 1 : 0;
                visitors.add(record.visitorId());
                perMinute[(int)Math.min(MINUTES - 1, (record.eventTime() - since) / 60_000L)]++;
            };
            while (scanned < MAX_SCAN && !older[0])
            {
                final int read = reader.read(count, Math.min(256, MAX_SCAN - scanned));
                if (read == 0)
                {
                    break;
                }
                scanned += read;
            }
            // the bound was reached with recent records still unread: the counts are a lower bound
            capped[0] = scanned >= MAX_SCAN && !older[0] && reader.read((index, record) ->
                older[0] = record.receivedAt() < since, 1) == 1 && !older[0];
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("site", site.domain());
        body.put("minutes", MINUTES);
        body.put("events", counts[0]);
        body.put("pageviews", counts[1]);
        body.put("visitors", visitors.size());
        final List<Object> minutes = new ArrayList<>();
        for (final long events : perMinute)
        {
            minutes.add(BigDecimal.valueOf(events));
        }
        body.put("per_minute", minutes);
        body.put("capped", capped[0]);
        return new Answer(200, Json.write(body));
    }
}
