package io.tally.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Which key of a body is which member of a beacon: the short keys of BEACON.md ({@code t}, {@code n},
 * {@code u}, {@code mk}, {@code ra} ...), the long ones of Plausible's Events API ({@code name}, {@code url},
 * {@code props} ...) and the trusted fields of server-side events ({@code ts}, {@code ip} ...). A member is
 * a {@link BeaconField} (its ordinal) or one of the other codes below.
 * <p>
 * A key is looked up without making anything. The beacon's own keys are one or two ASCII bytes, and every
 * beacon has several, so those index an array directly (a hash probe per member measured about 15% slower
 * on a typical beacon); longer keys have their first eight bytes packed in a {@code long} and found in a
 * small open-addressing table, comparing any bytes past eight too.
 */
final class FieldTable
{
    static final int UNKNOWN = -1;
    /** The first code past those of the text fields; {@code switch} needs constants, so not their count. */
    static final int TYPE = 32;
    static final int PROP_KEYS = TYPE + 1;
    static final int PROP_VALUES = TYPE + 2;
    static final int REVENUE_AMOUNT = TYPE + 3;
    static final int CURRENCY = TYPE + 4;
    static final int VALUE = TYPE + 5;
    static final int SECONDS = TYPE + 6;
    /** Plausible's {@code props}: the properties as one object; stands for {@code mk} and {@code mv}. */
    static final int PROPS = TYPE + 7;
    /** Plausible's {@code revenue}: amount and currency as one object; stands for {@code ra} and {@code rc}. */
    static final int REVENUE = TYPE + 8;
    /** A key Plausible's script sends that means nothing here; its value is skipped. */
    static final int IGNORED = TYPE + 9;
    /** Plausible's {@code sd}: an engagement's scroll depth. */
    static final int SCROLL_DEPTH = TYPE + 10;
    /** Plausible's {@code e}: an engagement's engaged time in milliseconds. */
    static final int ENGAGED_MILLIS = TYPE + 11;
    /** Plausible's {@code hashMode}: the long name of the script's numeric {@code h}. */
    static final int HASH_MODE = TYPE + 12;
    static final int MEMBERS = TYPE + 13;

    /** In {@link #SHORT}: the member is a trusted field. Member codes stay below it. */
    private static final int TRUSTED_BIT = 0x40;
    /** Keys of one ASCII byte at {@code [byte]}, of two at {@code [128 + (first << 7 | second)]}: the member, or -1. */
    private static final byte[] SHORT = new byte[128 + 128 * 128];
    private static final int SLOTS = 128;
    private static final int LONGEST = 16;
    private static final long[] PACKED = new long[SLOTS];
    private static final int[] LENGTH = new int[SLOTS];
    private static final int[] MEMBER = new int[SLOTS];
    private static final boolean[] TRUSTED = new boolean[SLOTS];
    private static final byte[][] BYTES = new byte[SLOTS][];

    static
    {
        if (BeaconField.COUNT > TYPE)
        {
            throw new ExceptionInInitializerError("more text fields than member codes below " + TYPE);
        }
        Arrays.fill(MEMBER, UNKNOWN);
        Arrays.fill(SHORT, (byte)UNKNOWN);
        for (final BeaconField field : BeaconField.values())
        {
            add(field.key(), field.ordinal(), field.trusted());
            if (field.plausibleKey() != null)
            {
                add(field.plausibleKey(), field.ordinal(), false);
            }
        }
        add("t", TYPE, false);
        add("mk", PROP_KEYS, false);
        add("mv", PROP_VALUES, false);
        add("ra", REVENUE_AMOUNT, false);
        add("rc", CURRENCY, false);
        add("v", VALUE, false);
        add("sec", SECONDS, false);
        // Plausible's Events API and script (docs/plausible.md)
        add("props", PROPS, false);
        add("p", PROPS, false);
        add("m", PROPS, false);
        add("meta", PROPS, false);
        add("revenue", REVENUE, false);
        add("$", REVENUE, false);
        add("interactive", IGNORED, false);
        add("i", IGNORED, false);
        add("sd", SCROLL_DEPTH, false);
        add("e", ENGAGED_MILLIS, false);
        add("hashMode", HASH_MODE, false);
    }

    private FieldTable()
    {
    }

    /** The member {@code key} names, or {@link #UNKNOWN}; trusted fields only when {@code trusted}. */
    static int memberOf(final TextView key, final boolean trusted)
    {
        final int length = key.length();
        if (length <= 2)
        {
            return length == 0 ? UNKNOWN : shortMemberOf(key, length, trusted);
        }
        if (length > LONGEST)
        {
            return UNKNOWN;
        }
        final long packed = pack(key);
        for (int slot = slotOf(packed, length); MEMBER[slot] != UNKNOWN; slot = (slot + 1) & (SLOTS - 1))
        {
            if (PACKED[slot] == packed && LENGTH[slot] == length && (length <= Long.BYTES || restEquals(key, BYTES[slot])))
            {
                return TRUSTED[slot] && !trusted ? UNKNOWN : MEMBER[slot];
            }
        }
        return UNKNOWN;
    }

    private static int shortMemberOf(final TextView key, final int length, final boolean trusted)
    {
        final int first = key.byteAt(0);
        final int second = length == 2 ? key.byteAt(1) : 0;
        if ((first | second) < 0)
        {
            return UNKNOWN;
        }
        final int code = SHORT[length == 1 ? first : 128 + (first << 7 | second)];
        return code < 0 || ((code & TRUSTED_BIT) != 0 && !trusted) ? UNKNOWN : code & ~TRUSTED_BIT;
    }

    /**
     * The bits of the seen-member set a member takes: Plausible's objects take those of the short keys they
     * stand for, so {@code props} and {@code mk} together are a duplicate.
     */
    static long bitsOf(final int member)
    {
        switch (member)
        {
            case PROPS: return (1L << PROP_KEYS) | (1L << PROP_VALUES);
            case REVENUE: return (1L << REVENUE_AMOUNT) | (1L << CURRENCY);
            case HASH_MODE: return 1L << BeaconField.TARGET.ordinal();
            default: return 1L << member;
        }
    }

    private static long pack(final TextView key)
    {
        final int bytes = Math.min(key.length(), Long.BYTES);
        long packed = 0;
        for (int i = 0; i < bytes; i++)
        {
            packed = (packed << 8) | (key.byteAt(i) & 0xFF);
        }
        return packed;
    }

    private static int slotOf(final long packed, final int length)
    {
        return (int)(((packed + length) * 0x9E3779B97F4A7C15L) >>> (Long.SIZE - 7));
    }

    private static boolean restEquals(final TextView key, final byte[] bytes)
    {
        for (int i = Long.BYTES; i < bytes.length; i++)
        {
            if (key.byteAt(i) != bytes[i])
            {
                return false;
            }
        }
        return true;
    }

    private static void add(final String key, final int member, final boolean trusted)
    {
        final byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length > LONGEST || member >= TRUSTED_BIT)
        {
            throw new ExceptionInInitializerError("key '" + key + "' does not fit the table");
        }
        if (bytes.length <= 2)
        {
            final int index = bytes.length == 1 ? bytes[0] : 128 + (bytes[0] << 7 | bytes[1]);
            if (SHORT[index] != UNKNOWN)
            {
                throw new ExceptionInInitializerError("key '" + key + "' given twice");
            }
            SHORT[index] = (byte)(member | (trusted ? TRUSTED_BIT : 0));
            return;
        }
        long packed = 0;
        for (int i = 0; i < Math.min(bytes.length, Long.BYTES); i++)
        {
            packed = (packed << 8) | (bytes[i] & 0xFF);
        }
        int slot = slotOf(packed, bytes.length);
        while (MEMBER[slot] != UNKNOWN)
        {
            if (Arrays.equals(BYTES[slot], bytes))
            {
                throw new ExceptionInInitializerError("key '" + key + "' given twice");
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        PACKED[slot] = packed;
        LENGTH[slot] = bytes.length;
        MEMBER[slot] = member;
        TRUSTED[slot] = trusted;
        BYTES[slot] = bytes;
    }
}
