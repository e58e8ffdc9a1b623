package io.tally.engine;

/**
 * Visitor ids without cookies: SipHash-2-4, keyed with the {@link DailySalt}, of the site, the client address
 * and the User-Agent. The same browser on the same address gets the same id all day on a site, and a new one
 * the next day. One instance per thread.
 */
public final class VisitorIds
{
    private final DailySalt salt;
    private final SipHasher hasher = new SipHasher();

    public VisitorIds(final DailySalt salt)
    {
        this.salt = salt;
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
