package io.tally.engine.ingest;

import io.netty.buffer.ByteBuf;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.DropReason;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.EventType;
import io.tally.codec.Outcome;
import io.tally.codec.TextView;
import io.tally.codec.UrlParts;
import io.tally.engine.audience.Audience;
import io.tally.engine.audience.AudienceCache;
import io.tally.engine.audience.Screening;
import io.tally.engine.geo.CountryLookup;
import io.tally.engine.identity.IpAddress;
import io.tally.engine.identity.SipHasher;
import io.tally.engine.identity.VisitorIds;
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

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The per-event path, after HTTP, in stages: {@link #decode}, {@link #pageHost} and the site, {@link #identify},
 * {@link #screen}, {@link #reserve}, {@link #derive}, {@link #match}, {@link #append}, then the {@link Reservation}
 * is committed or rolled back. Each stage either moves the event on or says in the {@link IngestResult} why it went no
 * further. One instance per I/O thread, holding that thread's decoder, flyweights, match state, encode buffer
 * and journal appender, so the happy path allocates nothing of its own.
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
    private final TextView referrerHost = new TextView();
    private final AudienceCache.Probe userAgentProbe = new AudienceCache.Probe();
    private final boolean[] sessionConverted = new boolean[1];
    private final IpAddress trustedAddress = new IpAddress();
    private final SipHasher keyHasher = new SipHasher();
    private final IngestResult result = new IngestResult();
    private final DomainList domains = new DomainList();
    private final Site[] listedSites = new Site[DomainList.MAX_SITES];
    private final Reservation reservation;
    private final SiteDirectory sites;
    private final GoalBook goals;
    private final VisitorIds visitorIds;
    private final SessionTracker sessions;
    private final IngestCounters counters;
    private final FreeSpace freeSpace;
    private final Screening screening;
    private final LongSupplier clock;
    private final EventRecordEncoder encoder;
    private final JournalAppender appender;
    private final CountryLookup countries;

    /** The event's site, once found (for a Plausible domain list, each listed site in turn). */
    private Site site;
    /** A trusted event's own {@code ua}, from {@link #identify} on; null when it has none. */
    private String trustedAgent;

    public EventIngestor(final IngestServices services, final JournalAppender appender)
    {
        this.sites = services.sites();
        this.goals = services.goals();
        this.visitorIds = new VisitorIds(services.salt());
        this.sessions = services.sessions();
        this.counters = services.counters();
        this.freeSpace = services.freeSpace();
        this.screening = services.screening();
        this.clock = services.clock();
        this.reservation = new Reservation(services.quotas(), services.idempotencyKeys(), services.conversions(),
            services.sessions());
        this.encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(services.maxBody()));
        this.appender = appender;
        this.countries = new CountryLookup(services.geoIp());
    }

    /**
     * Takes one beacon body. When the result is {@link Outcome#ACCEPTED} the event is in the journal.
     *
     * @param body      the complete body; not released here.
     * @param client    the client address (already resolved through trusted proxies).
     * @param userAgent the {@code User-Agent} header, or null.
     */
    public IngestResult ingest(final ByteBuf body, final IpAddress client, final CharSequence userAgent)
    {
        return ingest(body, body.readerIndex(), body.writerIndex(), client, userAgent, null, null);
    }

    /**
     * Takes one beacon body read in place: {@code buffer} holds it at {@code [from, to)} (its indexes are not
     * moved), as the HTTP layer keeps a body that arrived in one piece.
     */
    public IngestResult ingest(final ByteBuf buffer, final int from, final int to, final IpAddress client,
        final CharSequence userAgent)
    {
        return ingest(buffer, from, to, client, userAgent, null, null);
    }

    /**
     * As above, with the User-Agent's {@link Audience} the HTTP layer already found (or had classified) from the head:
     * it is not looked up again. Null: looked up here.
     */
    public IngestResult ingest(final ByteBuf buffer, final int from, final int to, final IpAddress client,
        final CharSequence userAgent, final Audience audience)
    {
        return ingest(buffer, from, to, client, userAgent, audience, null);
    }

    /**
     * Takes one trusted server-side event (a beacon plus {@code ts}, {@code ip}, {@code ua}, {@code vid},
     * {@code id}) for the site its token belongs to. {@link Outcome#DUPLICATE} means the idempotency key was
     * journaled before: acknowledged, not stored again.
     *
     * @param buffer holds the event's JSON at {@code [from, to)}: a line of a batch, read in place.
     */
    public IngestResult ingestTrusted(final ByteBuf buffer, final int from, final int to, final String tokenSite,
        final IpAddress client, final CharSequence userAgent)
    {
        return ingest(buffer, from, to, client, userAgent, null, tokenSite);
    }

    private IngestResult ingest(final ByteBuf buffer, final int from, final int to, final IpAddress client,
        final CharSequence userAgent, final Audience known, final String tokenSite)
    {
        result.begin();
        site = null;
        trustedAgent = null;
        final long now = clock.getAsLong();
        if (!decode(buffer, from, to, tokenSite != null) || !pageHost())
        {
            return result;
        }
        if (tokenSite == null && beacon.isPlausible() && beacon.domain().isPresent())
        {
            return ingestListed(now, client, userAgent, known);
        }
        final TextView domain = beacon.domain().isPresent() ? beacon.domain() : host;
        site = sites.find(domain);
        if (site == null)
        {
            return unknownSite(domain);
        }
        return event(now, client, userAgent, known, tokenSite) == Stored.REFUSED ? result : accepted();
    }

    /** What became of the event for one site. */
    private enum Stored
    {
        JOURNALED,
        /** Not stored, and rightly so (an engagement without a session): counted, answered 202. */
        DROPPED,
        /** Not stored; the result says why: a refusal, or a robot's event (answered as a person's, not stored). */
        REFUSED
    }

    /**
     * The event once per site of a Plausible body's domain list, as Plausible records it: listed domains that
     * are no site are dropped (and reported); only when none is a site is the body refused, as an unknown site
     * always is. Each event is journaled before the next is made, and the answer waits for all of them. A refusal
     * (a site's quota, a full disk) stops the list: it is the answer when nothing was journaled yet; once an
     * earlier site's event is journaled the body is answered 202 and the refusal reported ({@code site_refused}),
     * since a client that retried a refused body would count the journaled events again.
     */
    private IngestResult ingestListed(final long now, final IpAddress client, final CharSequence userAgent,
        final Audience audience)
    {
        int listedCount = 0;
        int journaled = 0;
        Stored stored = Stored.DROPPED;
        for (final DomainList list = domains.start(beacon.domain()); list.next() && stored != Stored.REFUSED; )
        {
            final Site listed = sites.find(list.domain());
            if (listed == null || (listedCount == DomainList.MAX_SITES && !isListed(listed, listedCount)))
            {
                result.dropped().add(DropReason.DOMAIN);
            }
            else if (!isListed(listed, listedCount))
            {
                // a site named twice (an alias, www.) gets the event once
                listedSites[listedCount++] = listed;
                site = listed;
                stored = event(now, client, userAgent, audience, null);
                journaled += stored == Stored.JOURNALED ? 1 : 0;
            }
        }
        Arrays.fill(listedSites, null);
        if (stored == Stored.REFUSED)
        {
            if (journaled == 0)
            {
                return result;
            }
            result.dropped().add(DropReason.SITE_REFUSED);
        }
        return listedCount == 0 ? unknownSite(beacon.domain()) : accepted();
    }

    private boolean isListed(final Site candidate, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (listedSites[i] == candidate)
            {
                return true;
            }
        }
        return false;
    }

    /** The stages of one event for {@link #site}, from the visitor to the journal. */
    private Stored event(final long now, final IpAddress client, final CharSequence userAgent, final Audience known,
        final String tokenSite)
    {
        reservation.begin();
        if (identify(now, client, userAgent, tokenSite))
        {
            if (!screen(userAgent, known, tokenSite))
            {
                reservation.rollback();
                return Stored.REFUSED;
            }
            if (!hasSession(now))
            {
                reservation.rollback();
                result.dropped().add(DropReason.NO_SESSION);
                return Stored.DROPPED;
            }
            if (reserve(now))
            {
                derive();
                match(now);
                if (append())
                {
                    reservation.commit();
                    return Stored.JOURNALED;
                }
            }
        }
        reservation.rollback();
        return Stored.REFUSED;
    }

    private boolean decode(final ByteBuf buffer, final int from, final int to, final boolean trusted)
    {
        final Outcome decoded = decoder.decode(buffer, from, to, beacon, trusted);
        if (decoded == Outcome.ACCEPTED)
        {
            return true;
        }
        result.refuseWith(decoded).append(decoder.errorDetail()).append(" (at byte ").append(decoder.errorOffset())
            .append(')');
        return false;
    }

    /** The page URL must be absolute: its host names the site unless a domain is given. */
    private boolean pageHost()
    {
        return UrlParts.host(beacon.url(), host) || result.refuse(Outcome.INVALID_URL, "'u' must be an absolute URL");
    }

    private IngestResult unknownSite(final TextView domain)
    {
        appendText(result.refuseWith(Outcome.UNKNOWN_SITE).append("no site '"), domain).append("' is configured");
        return result;
    }

    /**
     * A Plausible engagement belongs to a page view of a session: without a live session for its visitor (none in
     * the last 30 minutes, or the engine restarted since) Plausible drops it, and so does Tally. A beacon's own
     * engagement ({@code t:"x"}) is kept as before.
     */
    private boolean hasSession(final long now)
    {
        if (beacon.type() != EventType.ENGAGEMENT || !beacon.isPlausible())
        {
            return true;
        }
        final long eventTime = enrichment.eventTimeMillis() != 0 ? enrichment.eventTimeMillis() : now;
        return sessions.isLive(enrichment.visitorId(), eventTime);
    }

    /** Appends a text's characters; an ASCII text (a domain, almost always) without making its String. */
    private static StringBuilder appendText(final StringBuilder out, final TextView text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            if (text.byteAt(i) < 0)
            {
                return out.append(text);
            }
        }
        for (int i = 0; i < text.length(); i++)
        {
            out.append((char)text.byteAt(i));
        }
        return out;
    }

    /** The event's time and visitor: the receive time and the daily hash for a beacon, the sender's for a trusted event. */
    private boolean identify(final long now, final IpAddress client, final CharSequence userAgent, final String tokenSite)
    {
        enrichment.reset().receivedAt(now).site(site.domainBytes());
        if (tokenSite == null)
        {
            enrichment.visitor(visitorIds.visitorId(now, site.domainBytes(), client, userAgent));
            locate(client);
            return true;
        }
        return identifyTrusted(now, client, userAgent, tokenSite);
    }

    /** Time, visitor and idempotency of a trusted event; its token must belong to the event's site. */
    private boolean identifyTrusted(final long now, final IpAddress client, final CharSequence userAgent,
        final String tokenSite)
    {
        if (!site.domain().equals(tokenSite))
        {
            return result.refuse(Outcome.FORBIDDEN_SITE,
                "this token writes only " + tokenSite + "'s events, not " + site.domain() + "'s");
        }
        final long eventTime = TrustedFields.eventTime(beacon, now);
        if (eventTime == TrustedFields.INVALID)
        {
            return result.refuse(Outcome.INVALID_TIMESTAMP, "'ts' must be epoch milliseconds or ISO-8601, at most 5 minutes ahead");
        }
        final IpAddress address = TrustedFields.address(beacon, client, trustedAddress);
        if (address == null)
        {
            return result.refuse(Outcome.INVALID_IP, "'ip' must be an IPv4 or IPv6 address");
        }
        locate(address);
        trustedAgent = beacon.userAgent().isPresent() ? beacon.userAgent().toString() : null;
        final CharSequence agent = trustedAgent != null ? trustedAgent : userAgent;
        enrichment.eventTime(eventTime)
            .visitor(visitorIds.trustedVisitorId(eventTime, now, site.domainBytes(), address, agent,
                beacon.visitorKey().isPresent() ? beacon.visitorKey() : null));
        if (!beacon.id().isPresent())
        {
            return true;
        }
        enrichment.idempotencyKey().wrap(beacon.id().buffer(), beacon.id().offset(), beacon.id().length());
        if (!reservation.claimKey(TrustedFields.keyHigh(site, beacon.id(), keyHasher),
            TrustedFields.keyLow(site, beacon.id(), keyHasher), now))
        {
            result.duplicate();
            return false;
        }
        return true;
    }

    /**
     * What the User-Agent says of the sender (handed on by the HTTP layer, which found it at the head or had a new
     * one classified; else from the cache), and whether the event is a robot's: a crawler or automation by its User-Agent, or a spam
     * referrer. A robot's event goes no further (answered as accepted, counted) unless robots are kept, flagged.
     */
    private boolean screen(final CharSequence userAgent, final Audience known, final String tokenSite)
    {
        final Audience audience = known != null ? known : audience(userAgent, tokenSite);
        int reason = audience.robotReason();
        if (reason == EventRecord.ROBOT_NONE && beacon.referrer().isPresent() &&
            UrlParts.host(beacon.referrer(), referrerHost) && screening.spam().isSpam(referrerHost))
        {
            reason = EventRecord.ROBOT_SPAM_REFERRER;
        }
        enrichment.audience(audience.browser(), audience.browserVersion(), audience.os(), audience.osVersion(),
            audience.deviceClass()).robot(reason);
        if (reason == EventRecord.ROBOT_NONE)
        {
            return true;
        }
        screening.robot(reason);
        if (screening.keepsBots())
        {
            return true;
        }
        result.robot(beacon.dropped());
        return false;
    }

    /**
     * The sender's audience: a beacon's by its {@code User-Agent}; a trusted event's by its own {@code ua} only (the
     * header names the sending server, not the visitor), else unknown. Not yet classified (the analyzer is still being
     * built, the classifier's queue was full, or a trusted event's {@code ua} is new): unknown for this event, counted,
     * and classified for the next.
     */
    private Audience audience(final CharSequence userAgent, final String tokenSite)
    {
        if (tokenSite != null && trustedAgent == null)
        {
            return Audience.UNKNOWN;
        }
        userAgentProbe.wrap(tokenSite != null ? trustedAgent : userAgent);
        final Audience known = screening.classifier().find(userAgentProbe);
        if (known != null)
        {
            return known;
        }
        screening.unclassified();
        if (screening.classifier().isReady()) // before, nothing is queued: the next event's head has it classified
        {
            screening.classifier().classify(userAgentProbe.keep(), Screening.NOTHING);
        }
        return Audience.UNKNOWN;
    }

    /** The country of the address the event came from (a trusted event's {@code ip}); the address is not kept. */
    private void locate(final IpAddress address)
    {
        final int country = countries.country(address);
        enrichment.country((byte)(country >>> 8), (byte)country);
    }

    /** A slot of the site's monthly quota; past it, 429 until the month ends. */
    private boolean reserve(final long now)
    {
        if (reservation.takeQuota(site.domain(), beacon.type(), now))
        {
            return true;
        }
        result.refuseWith(Outcome.QUOTA_EXCEEDED, reservation.secondsUntilQuotaReset(now)).append(site.domain())
            .append(" has used its monthly event quota");
        return false;
    }

    /** The parts of the URLs that matching and the record both read, taken out once. */
    private void derive()
    {
        enrichment.hasUrlValue(UrlParts.valueParameter(beacon.url(), enrichment.urlValue()));
        UrlParts.path(beacon.url(), enrichment.path());
        UrlParts.asin(beacon.target(), enrichment.asin(), scratchHost);
    }

    /** The site's goals against the event, the visitor's first conversion, and the session. */
    private void match(final long now)
    {
        final long eventTime = enrichment.eventTimeMillis() != 0 ? enrichment.eventTimeMillis() : now;
        final long visitor = enrichment.visitorId();
        final GoalMatcher matcher = goals.matcher(site.domain());
        final int goal = matchGoal(matcher);
        final boolean first = goal >= 0 && reservation.recordFirstConversion(visitor, matcher.goalKey(goal), eventTime);
        final boolean converts = goal >= 0 && matcher.goal(goal).isConversion() && (first || !matcher.goal(goal).fireOnce());
        enrichment.session(sessions.track(visitor, eventTime, sessionConverted));
        if (goal >= 0)
        {
            enrich(matcher, goal, first, converts);
        }
        enrichment.sessionConverted(sessionConverted[0] || converts);
        if (converts)
        {
            reservation.convertSession(visitor);
        }
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

    private boolean append()
    {
        if (freeSpace.isLow())
        {
            return result.refuse(Outcome.DISK_FULL, "the engine's disk is nearly full; retry later",
                IngestResult.DISK_FULL_RETRY_SECONDS);
        }
        final int length = encoder.encode(beacon, enrichment);
        if (length < 0)
        {
            return result.refuse(Outcome.BAD_REQUEST, "the event does not fit a journal record");
        }
        try
        {
            appender.append(encoder.memory(), length);
            counters.appended(length);
            return true;
        }
        catch (final IllegalStateException ex)
        {
            if (ex.getCause() instanceof InternalError)
            {
                freeSpace.markFault(); // a page of the mapped journal got no block: the disk filled between readings
            }
            return result.refuse(Outcome.JOURNAL_UNAVAILABLE, "the journal cannot take events now",
                IngestResult.JOURNAL_RETRY_SECONDS);
        }
    }

    /** Every event of the body was journaled (or rightly dropped): what the body lost is counted once. */
    private IngestResult accepted()
    {
        final int dropped = beacon.droppedPropertyCount();
        if (dropped > 0)
        {
            counters.droppedProperties(dropped);
        }
        result.dropped().addAll(beacon.dropped());
        counters.dropped(result.dropped());
        return result.accept();
    }
}
