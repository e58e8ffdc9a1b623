package io.tally.engine.api.stats;

import io.tally.engine.site.Site;
import io.tally.store.Journal;
import io.tally.store.JournalReader;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The realtime report under {@code filters}, answered by the event store in the journal's report's shape, plus
 * {@code through}: the receive time up to which every event is in the store. The store seals a round every
 * {@code --events-seal-interval} (10 s by default), so the last seconds may not be in it yet; rather than count the
 * journal's tail apart (a second filter engine beside the store's SQL), the answer says how far it reaches: the time
 * of the request when the store held every record journaled before it, else the receive time of the last record it
 * held (null when it held none).
 */
final class FilteredRealtime
{
    private final Journal journal;

    FilteredRealtime(final Journal journal)
    {
        this.journal = journal;
    }

    /** Puts the figures of the kept events of the {@code minutes} minutes before {@code now} into {@code body}. */
    void answer(final Map<String, Object> body, final FilteredReports reports, final Site site, final long now, final int minutes,
        final String filters)
    {
        // the journal's end before the store's position: a position at or past it covers every record before now
        final long last = journal.lastIndex();
        final FilteredReports.Recent recent = reports.recent(site.domain(), now - minutes * 60_000L, now, minutes, filters);
        body.put("events", recent.events());
        body.put("pageviews", recent.pageviews());
        body.put("visitors", recent.visitors());
        final List<Object> perMinute = new ArrayList<>();
        for (final long events : recent.perMinute())
        {
            perMinute.add(BigDecimal.valueOf(events));
        }
        body.put("per_minute", perMinute);
        body.put("capped", false);
        final long through = recent.sealedIndex() >= last ? now : receivedAt(recent.sealedIndex());
        body.put("through", through < 0 ? null : Instant.ofEpochMilli(through).toString());
        body.put("filters", filters);
    }

    /** The receive time of the record at {@code index}; -1 for none. */
    private long receivedAt(final long index)
    {
        final long[] received = {-1};
        if (index < 0)
        {
            return -1;
        }
        try (JournalReader reader = journal.newReader().withBackfills())
        {
            if (reader.moveTo(index))
            {
                reader.read((at, record) -> received[0] = record.receivedAt(), 1);
            }
        }
        return received[0];
    }
}
