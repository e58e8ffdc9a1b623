package io.tally.engine;

import io.netty.buffer.ByteBuf;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.Outcome;
import io.tally.codec.TextView;
import io.tally.codec.UrlParts;
import io.tally.store.JournalAppender;

import java.util.function.LongSupplier;

/**
 * The per-event path, after HTTP: decode, resolve the site, compute visitor and session, enrich, encode and
 * append to the journal. One instance per I/O thread, holding that thread's decoder, flyweights, encode
 * buffer and journal appender, so the happy path allocates nothing of its own.
 */
public final class EventIngestor
{
    private final BeaconDecoder decoder = new BeaconDecoder();
    private final Beacon beacon = new Beacon();
    private final Enrichment enrichment = new Enrichment();
    private final TextView host = new TextView();
    private final TextView scratchHost = new TextView();
    private final SiteDirectory sites;
    private final VisitorIds visitorIds;
    private final SessionTracker sessions;
    private final EventRecordEncoder encoder;
    private final JournalAppender appender;
    private final LongSupplier clock;
    private String errorDetail;
    private long lastIndex = -1;

    EventIngestor(final SiteDirectory sites, final DailySalt salt, final SessionTracker sessions,
        final JournalAppender appender, final int maxBody, final LongSupplier clock)
    {
        this.sites = sites;
        this.visitorIds = new VisitorIds(salt);
        this.sessions = sessions;
        this.appender = appender;
        this.encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(maxBody));
        this.clock = clock;
    }

    /**
     * Takes one beacon body. On {@link Outcome#ACCEPTED} the event is in the journal.
     *
     * @param body      the complete body; not released here.
     * @param client    the client address (already resolved through trusted proxies).
     * @param userAgent the {@code User-Agent} header, or null.
     */
    public Outcome ingest(final ByteBuf body, final IpAddress client, final CharSequence userAgent)
    {
        errorDetail = null;
        final Outcome decoded = decoder.decode(body, beacon);
        if (decoded != Outcome.ACCEPTED)
        {
            errorDetail = decoder.errorDetail() + " (at byte " + decoder.errorOffset() + ")";
            return decoded;
        }
        if (!UrlParts.host(beacon.url(), host))
        {
            errorDetail = "'u' must be an absolute URL";
            return Outcome.INVALID_URL;
        }
        final Site site = sites.find(beacon.domain().isPresent() ? beacon.domain() : host);
        if (site == null)
        {
            errorDetail = "no site '" + (beacon.domain().isPresent() ? beacon.domain() : host) + "' is configured";
            return Outcome.UNKNOWN_SITE;
        }
        final long now = clock.getAsLong();
        final long visitor = visitorIds.visitorId(now, site.domainBytes(), client, userAgent);
        enrichment.reset()
            .receivedAt(now)
            .visitor(visitor)
            .session(sessions.sessionId(visitor, now))
            .site(site.domainBytes())
            .hasUrlValue(UrlParts.valueParameter(beacon.url(), enrichment.urlValue()));
        UrlParts.asin(beacon.target(), enrichment.asin(), scratchHost);
        return append();
    }

    private Outcome append()
    {
        final int length = encoder.encode(beacon, enrichment);
        if (length < 0)
        {
            errorDetail = "the event does not fit a journal record";
            return Outcome.BAD_REQUEST;
        }
        try
        {
            lastIndex = appender.append(encoder.memory(), length);
            return Outcome.ACCEPTED;
        }
        catch (final IllegalStateException ex)
        {
            errorDetail = "the journal cannot take events now";
            return Outcome.JOURNAL_UNAVAILABLE;
        }
    }

    /** The last decoded beacon; valid until the next call. */
    public Beacon beacon()
    {
        return beacon;
    }

    /** What was wrong with the last refused event, one line. */
    public String errorDetail()
    {
        return errorDetail;
    }

    /** Journal index of the last accepted event. */
    public long lastIndex()
    {
        return lastIndex;
    }
}
