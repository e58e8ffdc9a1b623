package io.tally.engine.audience;

import io.netty.buffer.ByteBuf;
import io.tally.codec.ByteBufUtils;
import io.tally.codec.TextView;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Known referrer spam hosts (Matomo's community list, public domain, shipped as a resource with its source and
 * date): a referrer whose host is one of them, or a subdomain of one, marks its event as spam. The hosts sit in an
 * open-addressing table of byte strings sized once; a lookup hashes each suffix of the referrer's host that begins
 * at a label (case-folded, in place) and probes the table: nothing is made per event.
 */
public final class ReferrerSpam
{
    /** The list shipped with Tally. */
    public static final String RESOURCE = "referrer-spammers.txt";

    private final byte[][] table;
    private final int[] hashes;
    private final int mask;
    private final int size;

    public ReferrerSpam(final List<String> hosts)
    {
        int slots = Integer.highestOneBit(Math.max(4, hosts.size() * 2 - 1)) << 1;
        this.table = new byte[slots][];
        this.hashes = new int[slots];
        this.mask = slots - 1;
        int added = 0;
        for (final String host : hosts)
        {
            final byte[] bytes = host.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0 && add(bytes))
            {
                added++;
            }
        }
        this.size = added;
    }

    /** The list shipped with Tally. */
    public static ReferrerSpam shipped()
    {
        try (InputStream in = ReferrerSpam.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("the referrer spam list " + RESOURCE + " is missing from the classpath");
            }
            final List<String> hosts = new ArrayList<>();
            final BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine())
            {
                if (!line.isBlank() && !line.startsWith("#"))
                {
                    hosts.add(line);
                }
            }
            return new ReferrerSpam(hosts);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private boolean add(final byte[] host)
    {
        final int hash = hash(host, 0, host.length);
        int slot = hash & mask;
        while (table[slot] != null)
        {
            if (hashes[slot] == hash && java.util.Arrays.equals(table[slot], host))
            {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        table[slot] = host;
        hashes[slot] = hash;
        return true;
    }

    /** Hosts on the list. */
    public int size()
    {
        return size;
    }

    /** Whether {@code host} (a referrer's, as {@code UrlParts.host} finds it) or a domain above it is on the list. */
    public boolean isSpam(final TextView host)
    {
        final ByteBuf buffer = host.buffer();
        final int from = host.offset();
        int end = from + host.length();
        if (end > from && buffer.getByte(end - 1) == '.')
        {
            end--; // a fully qualified name's trailing dot
        }
        for (int start = from; start < end; start++)
        {
            if ((start == from || buffer.getByte(start - 1) == '.') && contains(buffer, start, end))
            {
                return true;
            }
        }
        return false;
    }

    private boolean contains(final ByteBuf buffer, final int from, final int to)
    {
        final int hash = hash(buffer, from, to);
        for (int slot = hash & mask; table[slot] != null; slot = (slot + 1) & mask)
        {
            if (hashes[slot] == hash && sameFolded(table[slot], buffer, from, to))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean sameFolded(final byte[] entry, final ByteBuf buffer, final int from, final int to)
    {
        if (entry.length != to - from)
        {
            return false;
        }
        for (int i = 0; i < entry.length; i++)
        {
            if (entry[i] != ByteBufUtils.toLowerAscii(buffer.getByte(from + i)))
            {
                return false;
            }
        }
        return true;
    }

    private static int hash(final byte[] bytes, final int from, final int to)
    {
        int h = 0;
        for (int i = from; i < to; i++)
        {
            h = 31 * h + bytes[i];
        }
        return mix(h);
    }

    private static int hash(final ByteBuf buffer, final int from, final int to)
    {
        int h = 0;
        for (int i = from; i < to; i++)
        {
            h = 31 * h + ByteBufUtils.toLowerAscii(buffer.getByte(i));
        }
        return mix(h);
    }

    private static int mix(final int h)
    {
        return h ^ (h >>> 16);
    }
}
