package io.tally.engine.ingest;

import io.netty.buffer.ByteBuf;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.Outcome;
import io.tally.codec.TextView;
import io.tally.codec.UrlParts;
import io.tally.engine.Engine;
import io.tally.engine.identity.IpAddress;
import io.tally.engine.identity.SipHasher;
import io.tally.engine.identity.VisitorIds;
import io.tally.engine.limit.Quotas;
import io.tally.engine.metrics.IngestCounters;
import io.tally.engine.site.GoalBook;
import io.tally.engine.site.Site;
import io.tally.engine.site.SiteDirectory;
import io.tally.matcher.Goal;
import io.tally.matcher.GoalMatcher;
import io.tally.matcher.MatchInput;
import io.tally.matcher.MatchState;
import io.tally.store.JournalAppender;
import io.tally.store.state.FreeSpace;

import java.util.function.LongSupplier;

/**
 * The per-event path, after HTTP: decode, resolve the site, compute visitor and session, match the site's
 * goals, enrich, encode and append to the journal. One instance per I/O thread, holding that thread's
 * decoder, flyweights, match state, encode buffer and journal appender, so the happy path allocates nothing
 * of its own.
 */
public final class EventIngestor
{
    private final BeaconDecoder decoder = new BeaconDecoder();
    private final Beacon beacon = new Beacon();
    private final Enrichment enrichment = new Enrichment();
    private final MatchInput matchInput = new MatchInput();
    private final MatchState matchState = new MatchState();
    private final TextView host = new TextView();
    private final TextView scratchHost = new TextView();
    private final boolean[] sessionConverted = new boolean[1];
    private final SiteDirectory sites;
    private final GoalBook goals;
    private final VisitorIds visitorIds;
    private final SessionTracker sessions;
    private final ConversionTracker conversions;
    private final IdempotencyKeys idempotency;
    private final Quotas quotas;
    private final IngestCounters counters;
    private long retryAfterSeconds;
    private final IpAddress trustedAddress = new IpAddress();
    private final SipHasher keyHasher = new SipHasher();
    private long idempotencyHigh;
    private long idempotencyLow;
    private final EventRecordEncoder encoder;
    private final JournalAppender appender;
    private final FreeSpace freeSpace;
    private final LongSupplier clock;
    private String errorDetail;

    public EventIngestor(final Engine engine, final JournalAppender appender)
    {
        this.sites = engine.sites();
        this.goals = engine.goals();
        this.visitorIds = new VisitorIds(engine.salt());
        this.sessions = engine.sessions();
        this.conversions = engine.conversions();
        this.idempotency = engine.idempotencyKeys();
        this.quotas = engine.quotas();
        this.counters = engine.counters();
        this.appender = appender;
        this.freeSpace = engine.freeSpace();
        this.encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(engine.config().maxBody()));
        this.clock = engine.clock();
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
        return ingest(body, body.readerIndex(), body.writerIndex(), client, userAgent, null);
    }

    /**
     * Takes one trusted server-side event (a BEACON.md object plus {@code ts}, {@code ip}, {@code ua},
     * {@code vid}, {@code id}) for the site its token belongs to. {@link Outcome#DUPLICATE} means the
     * idempotency key was journaled before: acknowledged, not stored again.
     *
     * @param buffer holds the event's JSON at {@code [from, to)}: a line of a batch, read in place.
     */
    public Outcome ingestTrusted(final ByteBuf buffer, final int from, final int to, final String tokenSite,
        final IpAddress client, final CharSequence userAgent)
    {
        return ingest(buffer, from, to, client, userAgent, tokenSite);
    }

    private Outcome ingest(final ByteBuf buffer, final int from, final int to, final IpAddress client,
        final CharSequence userAgent, final String tokenSite)
    {
        errorDetail = null;
        final boolean trusted = tokenSite != null;
        final Outcome decoded = decoder.decode(buffer, from, to, beacon, trusted);
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
        enrichment.reset().receivedAt(now).site(site.domainBytes());
        final Outcome identified = trusted ? identifyTrusted(site, tokenSite, now, client, userAgent) :
            identify(site, now, client, userAgent);
        if (identified != Outcome.ACCEPTED)
        {
            return identified;
        }
        if (!quotas.tryTake(site.domain(), beacon.type(), now))
        {
            return refuseOverQuota(site, now);
        }
        final Outcome appended = matchAndAppend(site, now);
        if (appended != Outcome.ACCEPTED)
        {
            quotas.giveBack(site.domain(), beacon.type());
        }
        return appended;
    }

    /** A site past its monthly quota: 429 until the month ends; a trusted event's key is not kept as seen. */
    private Outcome refuseOverQuota(final Site site, final long now)
    {
        if (enrichment.idempotencyKey().isPresent())
        {
            idempotency.release(idempotencyHigh, idempotencyLow);
        }
        retryAfterSeconds = quotas.secondsUntilReset(now);
        errorDetail = site.domain() + " has used its monthly event quota";
        return Outcome.QUOTA_EXCEEDED;
    }

    private Outcome identify(final Site site, final long now, final IpAddress client, final CharSequence userAgent)
    {
        enrichment.visitor(visitorIds.visitorId(now, site.domainBytes(), client, userAgent));
        return Outcome.ACCEPTED;
    }

    /** Time, visitor and idempotency of a trusted event; its token must belong to the event's site. */
    private Outcome identifyTrusted(final Site site, final String tokenSite, final long now, final IpAddress client,
        final CharSequence userAgent)
    {
        if (!site.domain().equals(tokenSite))
        {
            errorDetail = "this token writes only " + tokenSite + "'s events, not " + site.domain() + "'s";
            return Outcome.FORBIDDEN_SITE;
        }
        final long eventTime = TrustedFields.eventTime(beacon, now);
        if (eventTime == TrustedFields.INVALID)
        {
            errorDetail = "'ts' must be epoch milliseconds or ISO-8601, at most 5 minutes ahead";
            return Outcome.INVALID_TIMESTAMP;
        }
        final IpAddress address = TrustedFields.address(beacon, client, trustedAddress);
        if (address == null)
        {
            errorDetail = "'ip' must be an IPv4 or IPv6 address";
            return Outcome.INVALID_IP;
        }
        final CharSequence agent = beacon.userAgent().isPresent() ? beacon.userAgent().toString() : userAgent;
        enrichment.eventTime(eventTime)
            .visitor(visitorIds.trustedVisitorId(eventTime, now, site.domainBytes(), address, agent,
                beacon.visitorKey().isPresent() ? beacon.visitorKey() : null));
        if (beacon.id().isPresent())
        {
            enrichment.idempotencyKey().wrap(beacon.id().buffer(), beacon.id().offset(), beacon.id().length());
            idempotencyHigh = TrustedFields.keyHigh(site, beacon.id(), keyHasher);
            idempotencyLow = TrustedFields.keyLow(site, beacon.id(), keyHasher);
            if (!idempotency.claim(idempotencyHigh, idempotencyLow, now))
            {
                return Outcome.DUPLICATE;
            }
        }
        return Outcome.ACCEPTED;
    }

    private Outcome matchAndAppend(final Site site, final long now)
    {
        final long eventTime = enrichment.eventTimeMillis() != 0 ? enrichment.eventTimeMillis() : now;
        final long visitor = enrichment.visitorId();
        enrichment.hasUrlValue(UrlParts.valueParameter(beacon.url(), enrichment.urlValue()));
        UrlParts.path(beacon.url(), enrichment.path());
        UrlParts.asin(beacon.target(), enrichment.asin(), scratchHost);

        final GoalMatcher matcher = goals.matcher(site.domain());
        final int goal = matchGoal(matcher);
        final long goalKey = goal < 0 ? 0 : matcher.goalKey(goal);
        final boolean first = goal >= 0 && conversions.recordFirst(visitor, goalKey, eventTime);
        final boolean converts = goal >= 0 && matcher.goal(goal).isConversion() && (first || !matcher.goal(goal).fireOnce());
        enrichment.session(sessions.track(visitor, eventTime, sessionConverted));
        if (goal >= 0)
        {
            enrich(matcher, goal, first, converts);
        }
        enrichment.sessionConverted(sessionConverted[0] || converts);

        final Outcome appended = append();
        if (appended == Outcome.ACCEPTED && converts)
        {
            sessions.markConverted(visitor);
        }
        else if (appended != Outcome.ACCEPTED)
        {
            if (first)
            {
                conversions.forget(visitor, goalKey);
            }
            if (enrichment.idempotencyKey().isPresent())
            {
                idempotency.release(idempotencyHigh, idempotencyLow);
            }
        }
        return appended;
    }

    private int matchGoal(final GoalMatcher matcher)
    {
        if (matcher.goals().isEmpty())
        {
            return -1;
        }
        matchInput.wrap(beacon);
        matchInput.path().wrap(enrichment.path().buffer(), enrichment.path().offset(), enrichment.path().length());
        if (enrichment.asin().isPresent())
        {
            matchInput.asin().wrap(enrichment.asin().buffer(), enrichment.asin().offset(), enrichment.asin().length());
        }
        if (beacon.target().isPresent())
        {
            UrlParts.host(beacon.target(), matchInput.targetHost());
        }
        return matcher.match(matchInput, matchState);
    }

    /** The goal's name, weight and value (the beacon's {@code v}, else the URL's {@code value=}, else the goal's). */
    private void enrich(final GoalMatcher matcher, final int goal, final boolean first, final boolean converts)
    {
        final Goal matched = matcher.goal(goal);
        enrichment.goal(matcher.nameBytes(goal), matched.weight(), first).conversion(converts);
        if (matched.kind() != Goal.Kind.MACRO)
        {
            return;
        }
        if (beacon.hasValue())
        {
            enrichment.goalValue(beacon.valueUnscaled(), beacon.valueScale());
        }
        else if (enrichment.hasUrlValue())
        {
            enrichment.goalValue(enrichment.urlValue().unscaled(), enrichment.urlValue().scale());
        }
        else
        {
            enrichment.goalValue(matcher.valueUnscaled(goal), matcher.valueScale(goal));
        }
        enrichment.goalValueCurrency(matcher.valueCurrency(goal));
    }

    private Outcome append()
    {
        if (freeSpace.isLow())
        {
            errorDetail = "the engine's disk is nearly full; retry later";
            return Outcome.DISK_FULL;
        }
        final int length = encoder.encode(beacon, enrichment);
        if (length < 0)
        {
            errorDetail = "the event does not fit a journal record";
            return Outcome.BAD_REQUEST;
        }
        try
        {
            appender.append(encoder.memory(), length);
            counters.appended(length);
            return Outcome.ACCEPTED;
        }
        catch (final IllegalStateException ex)
        {
            if (ex.getCause() instanceof InternalError)
            {
                freeSpace.markFault(); // a page of the mapped journal got no block: the disk filled between readings
            }
            errorDetail = "the journal cannot take events now";
            return Outcome.JOURNAL_UNAVAILABLE;
        }
    }

    /** The last decoded beacon; valid until the next call. */
    public Beacon beacon()
    {
        return beacon;
    }

    /** For {@link Outcome#QUOTA_EXCEEDED}: whole seconds until the quota resets. */
    public long retryAfterSeconds()
    {
        return retryAfterSeconds;
    }

    /** What was wrong with the last refused event, one line. */
    public String errorDetail()
    {
        return errorDetail;
    }
}
