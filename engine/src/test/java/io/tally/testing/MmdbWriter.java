package io.tally.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small database in the MaxMind DB format (version 2.0 of the spec): an IPv6 search tree of 24-bit records,
 * IPv4 networks under {@code ::/96} as MaxMind's own databases have them, a data section of maps, strings, unsigned
 * integers and arrays, and the metadata. Enough for tests to make a real database the real reader reads, with the
 * networks and records they choose. Networks must not overlap.
 */
public final class MmdbWriter
{
    private static final byte[] METADATA_MARKER = {(byte)0xAB, (byte)0xCD, (byte)0xEF, 'M', 'a', 'x', 'M', 'i', 'n', 'd',
        '.', 'c', 'o', 'm'};
    private static final int TYPE_POINTER = 1;
    private static final int TYPE_STRING = 2;
    private static final int TYPE_UINT16 = 5;
    private static final int TYPE_UINT32 = 6;
    private static final int TYPE_MAP = 7;
    private static final int TYPE_UINT64 = 9;
    private static final int TYPE_ARRAY = 11;

    private final Node root = new Node();
    private final String databaseType;
    private long buildEpoch = 1_700_000_000L;

    /** A node of the search tree: per bit, a child node or a record (a leaf), or nothing. */
    private static final class Node
    {
        final Node[] children = new Node[2];
        final Object[] records = new Object[2];
        int number;
    }

    public MmdbWriter(final String databaseType)
    {
        this.databaseType = databaseType;
    }

    public MmdbWriter buildEpoch(final long seconds)
    {
        this.buildEpoch = seconds;
        return this;
    }

    /** A GeoLite2-style record: {@code {"country": {"iso_code": CODE, "names": {"en": CODE}}, "continent": {...}}}. */
    public static Map<String, Object> country(final String isoCode)
    {
        final Map<String, Object> record = new LinkedHashMap<>();
        record.put("continent", Map.of("code", "EU", "geoname_id", 6255148L));
        final Map<String, Object> country = new LinkedHashMap<>();
        country.put("geoname_id", 2921044L);
        country.put("iso_code", isoCode);
        country.put("names", Map.of("en", "Country " + isoCode));
        record.put("country", country);
        return record;
    }

    /** Adds {@code cidr} ({@code 203.0.113.0/24}, {@code 2001:db8::/32}) with {@code record} (maps, strings, numbers, lists). */
    public MmdbWriter network(final String cidr, final Object record)
    {
        final int slash = cidr.indexOf('/');
        final byte[] address;
        try
        {
            address = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(cidr, ex);
        }
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        final byte[] bits = new byte[16];
        if (address.length == 4)
        {
            System.arraycopy(address, 0, bits, 12, 4);
            prefix += 96;
        }
        else
        {
            System.arraycopy(address, 0, bits, 0, 16);
        }
        Node node = root;
        for (int i = 0; i < prefix - 1; i++)
        {
            final int bit = bit(bits, i);
            if (node.records[bit] != null)
            {
                throw new IllegalArgumentException(cidr + " overlaps a network added before");
            }
            if (node.children[bit] == null)
            {
                node.children[bit] = new Node();
            }
            node = node.children[bit];
        }
        final int last = bit(bits, prefix - 1);
        if (node.children[last] != null || node.records[last] != null)
        {
            throw new IllegalArgumentException(cidr + " overlaps a network added before");
        }
        node.records[last] = record;
        return this;
    }

    private static int bit(final byte[] bytes, final int index)
    {
        return (bytes[index >>> 3] >>> (7 - (index & 7))) & 1;
    }

    public void write(final Path file)
    {
        try
        {
            Files.write(file, bytes());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The whole file: search tree, 16 zero bytes, data section, metadata. */
    public byte[] bytes()
    {
        final List<Node> nodes = new ArrayList<>();
        number(root, nodes);
        final int nodeCount = nodes.size();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final Map<Object, Integer> offsets = new IdentityHashMap<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final Node node : nodes)
        {
            for (int side = 0; side < 2; side++)
            {
                final long value;
                if (node.children[side] != null)
                {
                    value = node.children[side].number;
                }
                else if (node.records[side] != null)
                {
                    final Object record = node.records[side];
                    Integer offset = offsets.get(record);
                    if (offset == null)
                    {
                        offset = data.size();
                        offsets.put(record, offset);
                        encode(record, data);
                    }
                    value = nodeCount + 16L + offset;
                }
                else
                {
                    value = nodeCount;
                }
                out.write((int)(value >>> 16));
                out.write((int)(value >>> 8));
                out.write((int)value);
            }
        }
        out.writeBytes(new byte[16]);
        out.writeBytes(data.toByteArray());
        out.writeBytes(METADATA_MARKER);
        final Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("binary_format_major_version", new Unsigned(TYPE_UINT16, 2));
        metadata.put("binary_format_minor_version", new Unsigned(TYPE_UINT16, 0));
        metadata.put("build_epoch", new Unsigned(TYPE_UINT64, buildEpoch));
        metadata.put("database_type", databaseType);
        metadata.put("description", Map.of("en", "Tally test database"));
        metadata.put("ip_version", new Unsigned(TYPE_UINT16, 6));
        metadata.put("languages", List.of("en"));
        metadata.put("node_count", new Unsigned(TYPE_UINT32, nodeCount));
        metadata.put("record_size", new Unsigned(TYPE_UINT16, 24));
        encode(metadata, out);
        return out.toByteArray();
    }

    /** Numbers the nodes breadth first from the root (0). */
    private static void number(final Node root, final List<Node> nodes)
    {
        nodes.add(root);
        for (int i = 0; i < nodes.size(); i++)
        {
            final Node node = nodes.get(i);
            node.number = i;
            for (final Node child : node.children)
            {
                if (child != null)
                {
                    nodes.add(child);
                }
            }
        }
    }

    /** An unsigned integer of a chosen type. */
    private record Unsigned(int type, long value)
    {
    }

    private static void encode(final Object value, final ByteArrayOutputStream out)
    {
        if (value instanceof String)
        {
            final byte[] bytes = ((String)value).getBytes(StandardCharsets.UTF_8);
            control(TYPE_STRING, bytes.length, out);
            out.writeBytes(bytes);
        }
        else if (value instanceof Map)
        {
            control(TYPE_MAP, ((Map<?, ?>)value).size(), out);
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>)value).entrySet())
            {
                encode(String.valueOf(entry.getKey()), out);
                encode(entry.getValue(), out);
            }
        }
        else if (value instanceof List)
        {
            control(TYPE_ARRAY, ((List<?>)value).size(), out);
            for (final Object item : (List<?>)value)
            {
                encode(item, out);
            }
        }
        else if (value instanceof Unsigned)
        {
            unsigned(((Unsigned)value).type(), ((Unsigned)value).value(), out);
        }
        else if (value instanceof Long || value instanceof Integer)
        {
            unsigned(TYPE_UINT32, ((Number)value).longValue(), out);
        }
        else
        {
            throw new IllegalArgumentException("cannot encode " + value);
        }
    }

    private static void unsigned(final int type, final long value, final ByteArrayOutputStream out)
    {
        int length = 0;
        for (long rest = value; rest != 0; rest >>>= 8)
        {
            length++;
        }
        control(type, length, out);
        for (int i = length - 1; i >= 0; i--)
        {
            out.write((int)(value >>> (8 * i)));
        }
    }

    /** A control byte (type in the top 3 bits, 0 and an extended type byte past 7) and the size, extended past 28. */
    private static void control(final int type, final int size, final ByteArrayOutputStream out)
    {
        final int typeBits = type <= 7 ? type << 5 : 0;
        if (type == TYPE_POINTER)
        {
            throw new IllegalArgumentException("pointers are not written");
        }
        if (size < 29)
        {
            out.write(typeBits | size);
            extended(type, out);
        }
        else if (size < 285)
        {
            out.write(typeBits | 29);
            extended(type, out);
            out.write(size - 29);
        }
        else if (size < 65_821)
        {
            out.write(typeBits | 30);
            extended(type, out);
            out.write((size - 285) >>> 8);
            out.write(size - 285);
        }
        else
        {
            throw new IllegalArgumentException("too large for this writer: " + size);
        }
    }

    private static void extended(final int type, final ByteArrayOutputStream out)
    {
        if (type > 7)
        {
            out.write(type - 7);
        }
    }
}
