package io.tally.engine.identity;

import io.tally.codec.TextView;

/**
 * Visitor ids without cookies: SipHash-2-4, keyed with the {@link DailySalt}, of the site, the client address
 * and the User-Agent. The same browser on the same address gets the same id all day on a site, and a new one
 * the next day. One instance per thread.
 */
public final class VisitorIds
{
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final DailySalt salt;
    private final SipHasher hasher = new SipHasher();

    public VisitorIds(final DailySalt salt)
    {
        this.salt = salt;
    }

    /**
     * The visitor id of a trusted event that happened at {@code eventTime}: today's events get the same id a
     * browser's beacon would; past days use a salt derived for that day from the data dir's historical key
     * (today's random salt of those days is gone), so a day replayed twice gives the same ids.
     *
     * @param visitorKey the caller's own visitor key ({@code vid}), or null to use the address and User-Agent.
     */
    public long trustedVisitorId(final long eventTime, final long now, final byte[] siteDomain, final IpAddress client,
        final CharSequence userAgent, final TextView visitorKey)
    {
        final long day = Math.floorDiv(eventTime, MILLIS_PER_DAY);
        final DailySalt.Salt daily = day == Math.floorDiv(now, MILLIS_PER_DAY) ? salt.forTime(now) : salt.forPastDay(day);
        hasher.reset(daily.key0, daily.key1).putBytes(siteDomain).putLong(siteDomain.length);
        if (visitorKey != null)
        {
            hasher.putByte('v');
            for (int i = 0; i < visitorKey.length(); i++)
            {
                hasher.putByte(visitorKey.byteAt(i));
            }
            return hasher.putLong(visitorKey.length()).finish();
        }
        return hasher.putLong(client.high()).putLong(client.low()).putChars(userAgent == null ? "" : userAgent).finish();
    }

    public long visitorId(final long epochMillis, final byte[] siteDomain, final IpAddress client, final CharSequence userAgent)
    {
        final DailySalt.Salt daily = salt.forTime(epochMillis);
        return hasher.reset(daily.key0, daily.key1)
            .putBytes(siteDomain).putLong(siteDomain.length)
            .putLong(client.high()).putLong(client.low())
            .putChars(userAgent == null ? "" : userAgent)
            .finish();
    }
}
