package io.tally.engine.site;

import io.netty.buffer.Unpooled;
import io.tally.codec.ByteBufUtils;
import io.tally.codec.TextView;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves a host name from a beacon (its {@code d}, or the host of its {@code u}) to a configured
 * {@link Site}: case-insensitive, ignoring a trailing dot and a leading {@code www.}, through the site's
 * domain or any of its aliases. Lookups hash the bytes in place and allocate nothing.
 * <p>
 * The sites change live ({@link #replace}): each set is an immutable table, published whole through a volatile
 * field, so a lookup reads one table (the old or the new, never a mix) without a lock, and a request path that
 * resolves a site never waits for a change.
 */
public final class SiteDirectory
{
    private static final byte[] WWW = {'w', 'w', 'w', '.'};

    private volatile Table table;

    /** One set of sites: an open-addressing table of every name, and the sites by domain. Immutable. */
    public static final class Table
    {
        private final List<Site> sites;
        private final Map<String, Site> byDomain = new LinkedHashMap<>();
        private final byte[][] names;
        private final Site[] slots;
        private final int mask;

        private Table(final List<Site> sites)
        {
            final Map<String, Site> byName = new LinkedHashMap<>();
            for (final Site site : sites)
            {
                register(byName, site.domain(), site);
                for (final String alias : site.aliases())
                {
                    register(byName, alias, site);
                }
            }
            this.sites = List.copyOf(sites);
            sites.forEach(site -> byDomain.put(site.domain(), site));
            int size = 16;
            while (size < byName.size() * 2)
            {
                size <<= 1;
            }
            mask = size - 1;
            names = new byte[size][];
            slots = new Site[size];
            for (final Map.Entry<String, Site> entry : byName.entrySet())
            {
                final byte[] name = entry.getKey().getBytes(StandardCharsets.UTF_8);
                int slot = hash(name) & mask;
                while (names[slot] != null)
                {
                    slot = (slot + 1) & mask;
                }
                names[slot] = name;
                slots[slot] = entry.getValue();
            }
        }
    }

    public SiteDirectory(final List<Site> sites)
    {
        this.table = new Table(sites);
    }

    /**
     * Checks a new set of sites (a name claimed by two sites is an {@link IllegalArgumentException}) and returns
     * what {@link #publish} swaps in; nothing changes until then.
     */
    public static Table prepare(final List<Site> sites)
    {
        return new Table(sites);
    }

    /** Swaps in a set {@link #prepare} made: lookups from now on find these sites, and only these. */
    public void publish(final Table prepared)
    {
        this.table = prepared;
    }

    /** Replaces every site at once. */
    public void replace(final List<Site> sites)
    {
        publish(prepare(sites));
    }

    private static void register(final Map<String, Site> byName, final String name, final Site site)
    {
        final String key = stripWww(name);
        final Site existing = byName.putIfAbsent(key, site);
        if (existing != null && existing != site)
        {
            throw new IllegalArgumentException("'" + name + "' is claimed by both " + existing + " and " + site);
        }
    }

    private static String stripWww(final String name)
    {
        return name.startsWith("www.") && name.length() > 4 ? name.substring(4) : name;
    }

    /** The sites now, in their configured order. */
    public List<Site> sites()
    {
        return table.sites;
    }

    /**
     * The site whose configured domain is {@code domain}, in any case, or null: how the admin and stats API name a
     * site. Nothing else (an alias, {@code www.}, a trailing dot) names it there, so a site has one name in every API.
     */
    public Site byDomain(final String domain)
    {
        return table.byDomain.get(domain.toLowerCase(Locale.ROOT));
    }

    /** The site for a domain, alias or host name given as text, as {@link #find} resolves a host; a cold path. */
    public Site findByName(final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return find(new TextView().wrap(Unpooled.wrappedBuffer(bytes), 0, bytes.length));
    }

    /** The site for {@code host}, or null. */
    public Site find(final TextView host)
    {
        final Table current = table;
        int start = host.offset();
        int end = start + host.length();
        while (end > start && host.buffer().getByte(end - 1) == '.')
        {
            end--;
        }
        if (end - start > WWW.length && startsWithWww(host, start))
        {
            start += WWW.length;
        }
        final byte[][] names = current.names;
        int slot = hash(host, start, end) & current.mask;
        while (names[slot] != null)
        {
            if (equalsIgnoreCase(names[slot], host, start, end))
            {
                return current.slots[slot];
            }
            slot = (slot + 1) & current.mask;
        }
        return null;
    }

    private static boolean startsWithWww(final TextView host, final int start)
    {
        for (int i = 0; i < WWW.length; i++)
        {
            if (ByteBufUtils.toLowerAscii(host.buffer().getByte(start + i)) != WWW[i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsIgnoreCase(final byte[] name, final TextView host, final int start, final int end)
    {
        if (name.length != end - start)
        {
            return false;
        }
        for (int i = 0; i < name.length; i++)
        {
            if (name[i] != ByteBufUtils.toLowerAscii(host.buffer().getByte(start + i)))
            {
                return false;
            }
        }
        return true;
    }

    private static int hash(final byte[] name)
    {
        int h = 0x811C9DC5;
        for (final byte b : name)
        {
            h = (h ^ b) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    private static int hash(final TextView host, final int start, final int end)
    {
        int h = 0x811C9DC5;
        for (int i = start; i < end; i++)
        {
            h = (h ^ ByteBufUtils.toLowerAscii(host.buffer().getByte(i))) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }
}
