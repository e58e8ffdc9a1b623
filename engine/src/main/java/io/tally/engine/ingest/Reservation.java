package io.tally.engine.ingest;

import io.tally.codec.EventType;
import io.tally.engine.limit.Quotas;

/**
 * What one event has claimed from shared state before it is journaled: a slot of its site's monthly quota,
 * its idempotency key, its visitor's first conversion on a goal, and the session it converts. The append
 * decides: {@link #commit()} keeps every claim, {@link #rollback()} gives back every one that was made, so no
 * stage has to remember its own undo. (The session tracker's last-seen time is not a claim: an event refused
 * late still moves it.) One per {@link EventIngestor}, reused.
 */
final class Reservation
{
    private final Quotas quotas;
    private final IdempotencyKeys idempotency;
    private final ConversionTracker conversions;
    private final SessionTracker sessions;

    private String quotaSite;
    private EventType quotaType;
    private boolean keyClaimed;
    private long keyHigh;
    private long keyLow;
    private boolean firstConversion;
    private long visitor;
    private long goalKey;
    private boolean convertsSession;

    Reservation(final Quotas quotas, final IdempotencyKeys idempotency, final ConversionTracker conversions,
        final SessionTracker sessions)
    {
        this.quotas = quotas;
        this.idempotency = idempotency;
        this.conversions = conversions;
        this.sessions = sessions;
    }

    void begin()
    {
        quotaSite = null;
        quotaType = null;
        keyClaimed = false;
        firstConversion = false;
        convertsSession = false;
    }

    /** @return false when the key was journaled before (a duplicate); nothing is claimed then. */
    boolean claimKey(final long high, final long low, final long nowMillis)
    {
        if (!idempotency.claim(high, low, nowMillis))
        {
            return false;
        }
        keyClaimed = true;
        keyHigh = high;
        keyLow = low;
        return true;
    }

    /** @return false when the site has used its monthly quota; nothing is taken then. */
    boolean takeQuota(final String site, final EventType type, final long nowMillis)
    {
        if (!quotas.tryTake(site, type, nowMillis))
        {
            return false;
        }
        quotaSite = site;
        quotaType = type;
        return true;
    }

    /** Whole seconds until the quotas reset, for the {@code Retry-After} of an event over its site's quota. */
    long secondsUntilQuotaReset(final long nowMillis)
    {
        return quotas.secondsUntilReset(nowMillis);
    }

    /** @return true when this is the visitor's first conversion on the goal today (then it is claimed). */
    boolean recordFirstConversion(final long visitorId, final long goal, final long eventTimeMillis)
    {
        firstConversion = conversions.recordFirst(visitorId, goal, eventTimeMillis);
        visitor = visitorId;
        goalKey = goal;
        return firstConversion;
    }

    /** Marks the visitor's session converted once the event is journaled. */
    void convertSession(final long visitorId)
    {
        convertsSession = true;
        visitor = visitorId;
    }

    /** The event is in the journal: every claim stands. */
    void commit()
    {
        if (convertsSession)
        {
            sessions.markConverted(visitor);
        }
        begin();
    }

    /** The event was refused: what it claimed is given back, in the reverse order of the claims. */
    void rollback()
    {
        if (firstConversion)
        {
            conversions.forget(visitor, goalKey);
        }
        if (quotaSite != null)
        {
            quotas.giveBack(quotaSite, quotaType);
        }
        if (keyClaimed)
        {
            idempotency.release(keyHigh, keyLow);
        }
        begin();
    }
}
