package io.tally.engine.site;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/** A configured site: its domain (the key in all data), the aliases that also resolve to it, its time zone. */
public final class Site
{
    private final String domain;
    private final byte[] domainBytes;
    private final List<String> aliases;
    private final String timeZone;
    private final byte[] readToken;

    public Site(final String domain, final List<String> aliases, final String timeZone)
    {
        this(domain, aliases, timeZone, null);
    }

    /** @param readToken a bearer token that may read this site's stats, or null. */
    public Site(final String domain, final List<String> aliases, final String timeZone, final String readToken)
    {
        this.domain = normalize(domain);
        if (this.domain.isEmpty())
        {
            throw new IllegalArgumentException("a site needs a domain");
        }
        this.domainBytes = this.domain.getBytes(StandardCharsets.UTF_8);
        this.aliases = aliases.stream().map(Site::normalize).filter(a -> !a.isEmpty()).toList();
        this.timeZone = timeZone == null ? "UTC" : timeZone;
        try
        {
            ZoneId.of(this.timeZone);
        }
        catch (final DateTimeException ex)
        {
            throw new IllegalArgumentException("site " + this.domain + ": unknown time zone '" + timeZone + "'");
        }
        this.readToken = readToken == null || readToken.isBlank() ? null : readToken.trim().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code token} is this site's read token (compared in constant time). */
    public boolean isReadToken(final String token)
    {
        return readToken != null && token != null && MessageDigest.isEqual(readToken, token.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code other} is this site with the same aliases, time zone and read token. */
    public boolean sameAs(final Site other)
    {
        return domain.equals(other.domain) && aliases.equals(other.aliases) && timeZone.equals(other.timeZone) &&
            java.util.Arrays.equals(readToken, other.readToken);
    }

    public Site(final String domain)
    {
        this(domain, List.of(), "UTC");
    }

    /** Lower case, without a trailing dot. */
    static String normalize(final String domain)
    {
        String d = domain.trim().toLowerCase(Locale.ROOT);
        while (d.endsWith("."))
        {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }

    public String domain()
    {
        return domain;
    }

    /** The domain as UTF-8, shared: never modify. */
    public byte[] domainBytes()
    {
        return domainBytes;
    }

    public List<String> aliases()
    {
        return aliases;
    }

    public String timeZone()
    {
        return timeZone;
    }

    @Override
    public String toString()
    {
        return domain;
    }
}
