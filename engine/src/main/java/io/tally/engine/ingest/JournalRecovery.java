package io.tally.engine.ingest;

import io.netty.buffer.Unpooled;
import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.codec.TextView;
import io.tally.engine.identity.SipHasher;
import io.tally.engine.limit.Quotas;
import io.tally.engine.site.Site;
import io.tally.matcher.GoalMatcher;
import io.tally.store.Journal;
import io.tally.store.JournalReader;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The start-up step that makes a restart change nothing for the per-event path: one pass over the journal's
 * last week (or since the month began, when that is earlier) puts back into memory the idempotency keys
 * journaled within their retention, today's goal matches (fire-once) and the month's usage of every site
 * (quotas). Run once, before the server takes its first event.
 */
public final class JournalRecovery
{
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final Map<String, Site> byDomain = new HashMap<>();
    private final Quotas quotas;
    private final IdempotencyKeys idempotencyKeys;
    private final ConversionTracker conversions;
    private final SessionTracker sessions;
    private final TextView id = new TextView();
    private final SipHasher hasher = new SipHasher();

    public JournalRecovery(final List<Site> sites, final Quotas quotas, final IdempotencyKeys idempotencyKeys,
        final ConversionTracker conversions, final SessionTracker sessions)
    {
        sites.forEach(site -> byDomain.put(site.domain(), site));
        this.quotas = quotas;
        this.idempotencyKeys = idempotencyKeys;
        this.conversions = conversions;
        this.sessions = sessions;
    }

    /** Reads the journal's tail into the quotas, idempotency keys, conversions and sessions, as of {@code now}. */
    public void replayTail(final Journal journal, final long now)
    {
        final long today = Math.floorDiv(now, MILLIS_PER_DAY);
        try (JournalReader reader = journal.newReader().withBackfills())
        {
            final long from = Math.min(now - IdempotencyKeys.RETENTION_MILLIS, Quotas.monthStart(now));
            if (!reader.moveToFirstCycleIn(Math.floorDiv(from, MILLIS_PER_DAY), (int)today))
            {
                return;
            }
            final JournalReader.RecordHandler replay = (index, record) -> recover(record, now, today);
            while (reader.read(replay, 4096) > 0)
            {
                // until the end of the journal
            }
        }
    }

    private void recover(final EventRecordDecoder record, final long now, final long today)
    {
        if (record.isBackfill())
        {
            // a conversion a goal backfill recorded: remembered like one matched at ingest; its event was counted already
            rememberConversion(record, today);
            return;
        }
        if (record.eventTime() > now - SessionTracker.SESSION_TIMEOUT_MILLIS && record.sessionId() != 0)
        {
            sessions.restore(record.visitorId(), record.sessionId(), record.eventTime(),
                record.hasFlag(EventRecord.FLAG_SESSION_CONVERTED));
        }
        rememberConversion(record, today);
        final Site site = byDomain.get(record.string(EventRecord.SITE));
        if (site == null)
        {
            return; // a site no longer configured: it has no quota, and its keys are never asked for
        }
        quotas.countJournaled(site.domain(), record.type(), record.receivedAt());
        if (record.stringLength(EventRecord.IDEMPOTENCY_KEY) > 0 && record.receivedAt() > now - IdempotencyKeys.RETENTION_MILLIS)
        {
            final byte[] key = record.string(EventRecord.IDEMPOTENCY_KEY).getBytes(StandardCharsets.UTF_8);
            id.wrap(Unpooled.wrappedBuffer(key), 0, key.length);
            idempotencyKeys.claim(TrustedFields.keyHigh(site, id, hasher), TrustedFields.keyLow(site, id, hasher),
                record.receivedAt());
        }
    }

    /** A goal matched today: the visitor's later matches of it are not first (fire-once holds across restarts). */
    private void rememberConversion(final EventRecordDecoder record, final long today)
    {
        if (record.hasFlag(EventRecord.FLAG_GOAL) && Math.floorDiv(record.eventTime(), MILLIS_PER_DAY) == today)
        {
            final byte[] name = record.string(EventRecord.GOAL).getBytes(StandardCharsets.UTF_8);
            conversions.recordFirst(record.visitorId(), GoalMatcher.nameKey(name), record.eventTime());
        }
    }
}
