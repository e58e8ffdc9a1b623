package io.tally.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** A configured site: its domain (the key in all data), the aliases that also resolve to it, its time zone. */
public final class Site
{
    private final String domain;
    private final byte[] domainBytes;
    private final List<String> aliases;
    private final String timeZone;

    public Site(final String domain, final List<String> aliases, final String timeZone)
    {
        this.domain = normalize(domain);
        if (this.domain.isEmpty())
        {
            throw new IllegalArgumentException("a site needs a domain");
        }
        this.domainBytes = this.domain.getBytes(StandardCharsets.UTF_8);
        this.aliases = aliases.stream().map(Site::normalize).filter(a -> !a.isEmpty()).toList();
        this.timeZone = timeZone == null ? "UTC" : timeZone;
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
