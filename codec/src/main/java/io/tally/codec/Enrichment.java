package io.tally.codec;

/**
 * What the server adds to a beacon before it is journaled (BEACON.md, "What the server adds"). One
 * reusable instance per thread; the handler fills it, the {@link EventRecordEncoder} reads it.
 */
public final class Enrichment
{
    long receivedAtMillis;
    long eventTimeMillis;
    final TextView idempotencyKey = new TextView();
    long visitorId;
    long sessionId;
    byte[] site;
    final TextView asin = new TextView();
    final TextView path = new TextView();
    final MutableDecimal urlValue = new MutableDecimal();
    boolean hasUrlValue;
    byte[] goalName;
    boolean hasGoalValue;
    long goalValueUnscaled;
    int goalValueScale;
    int goalWeight;
    boolean firstConversion;
    boolean conversion;
    boolean sessionConverted;
    final byte[] goalValueCurrency = new byte[3];
    byte[] browser;
    byte[] browserVersion;
    byte[] os;
    byte[] osVersion;
    int deviceClass;
    byte country0;
    byte country1;
    int robotReason;

    public Enrichment reset()
    {
        browser = null;
        browserVersion = null;
        os = null;
        osVersion = null;
        deviceClass = EventRecord.DEVICE_UNKNOWN;
        country0 = 0;
        country1 = 0;
        robotReason = EventRecord.ROBOT_NONE;
        receivedAtMillis = 0;
        eventTimeMillis = 0;
        idempotencyKey.reset();
        visitorId = 0;
        sessionId = 0;
        site = null;
        asin.reset();
        path.reset();
        hasUrlValue = false;
        goalName = null;
        hasGoalValue = false;
        goalWeight = 0;
        firstConversion = false;
        conversion = false;
        sessionConverted = false;
        goalValueCurrency[0] = 0;
        goalValueCurrency[1] = 0;
        goalValueCurrency[2] = 0;
        return this;
    }

    public Enrichment receivedAt(final long epochMillis)
    {
        this.receivedAtMillis = epochMillis;
        return this;
    }

    /** When the event happened, for a trusted event with its own {@code ts}; by default the receive time. */
    public Enrichment eventTime(final long epochMillis)
    {
        this.eventTimeMillis = epochMillis;
        return this;
    }

    /** The trusted event's idempotency key; left empty for browser beacons. */
    public TextView idempotencyKey()
    {
        return idempotencyKey;
    }

    public Enrichment visitor(final long visitorId)
    {
        this.visitorId = visitorId;
        return this;
    }

    public Enrichment session(final long sessionId)
    {
        this.sessionId = sessionId;
        return this;
    }

    /** The site's configured domain as UTF-8; kept by reference, never copied. */
    public Enrichment site(final byte[] siteDomain)
    {
        this.site = siteDomain;
        return this;
    }

    public TextView asin()
    {
        return asin;
    }

    /** The path of the beacon's URL; the encoder does not store it (it is derived from the URL when read). */
    public TextView path()
    {
        return path;
    }

    /** The {@code value=} parameter of the page URL, when {@link #hasUrlValue(boolean)} says there is one. */
    public MutableDecimal urlValue()
    {
        return urlValue;
    }

    public Enrichment hasUrlValue(final boolean hasUrlValue)
    {
        this.hasUrlValue = hasUrlValue;
        return this;
    }

    public Enrichment goal(final byte[] name, final int weight, final boolean first)
    {
        this.goalName = name;
        this.goalWeight = weight;
        this.firstConversion = first;
        return this;
    }

    public Enrichment goalValue(final long unscaled, final int scale)
    {
        this.hasGoalValue = true;
        this.goalValueUnscaled = unscaled;
        this.goalValueScale = scale;
        return this;
    }

    /** The ISO 4217 code of the goal value, three ASCII bytes (copied). */
    public Enrichment goalValueCurrency(final byte[] currency)
    {
        System.arraycopy(currency, 0, goalValueCurrency, 0, 3);
        return this;
    }

    /** Whether the event counts as a conversion. */
    public Enrichment conversion(final boolean conversion)
    {
        this.conversion = conversion;
        return this;
    }

    /** Whether the event's session has converted, this event included. */
    public Enrichment sessionConverted(final boolean converted)
    {
        this.sessionConverted = converted;
        return this;
    }

    /**
     * What the User-Agent says: names and versions as UTF-8 (kept by reference, never copied: a classifier
     * hands out the same arrays for every event of a User-Agent), null for unknown; a {@code DEVICE_} code.
     */
    public Enrichment audience(final byte[] browser, final byte[] browserVersion, final byte[] os,
        final byte[] osVersion, final int deviceClass)
    {
        this.browser = browser;
        this.browserVersion = browserVersion;
        this.os = os;
        this.osVersion = osVersion;
        this.deviceClass = deviceClass;
        return this;
    }

    /** The visitor's country, ISO 3166-1 alpha-2 as two upper-case ASCII bytes; zeros for unknown. */
    public Enrichment country(final byte first, final byte second)
    {
        this.country0 = first;
        this.country1 = second;
        return this;
    }

    /** Why a kept event is a robot's ({@code EventRecord.ROBOT_} codes); {@code ROBOT_NONE} for people. */
    public Enrichment robot(final int reason)
    {
        this.robotReason = reason;
        return this;
    }

    public boolean hasUrlValue()
    {
        return hasUrlValue;
    }

    public long receivedAtMillis()
    {
        return receivedAtMillis;
    }

    /** The trusted event time set with {@link #eventTime(long)}, or 0 when the event is timed on receipt. */
    public long eventTimeMillis()
    {
        return eventTimeMillis;
    }

    public long visitorId()
    {
        return visitorId;
    }

    public long sessionId()
    {
        return sessionId;
    }
}
