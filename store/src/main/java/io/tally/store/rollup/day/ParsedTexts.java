package io.tally.store.rollup.day;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What {@link SourceParser} made of a text it parsed before (a URL's entry page and parameters, a referrer's
 * domain), found by the text's bytes: a site's sessions start from a few pages and referrers, and looking their
 * ids up by the raw bytes costs one hash and one comparison where parsing costs several scans and dictionary
 * lookups. Direct-mapped and fixed in size: a new text takes its slot from whatever was there, so a flood of
 * distinct URLs costs no memory, only parsing, as without it. Texts longer than a slot are never kept.
 * Single-threaded.
 */
final class ParsedTexts
{
    private final int width;
    private final int maxLength;
    private final int slots;
    private final int mask;
    // made at the first text kept: a day that starts no session (a merge's, a restored one) costs nothing
    private int[] hashes;
    /** Bytes of each slot's text; -1 for an empty slot. */
    private int[] lengths;
    private UnsafeBuffer bytes;
    private int[] values;

    /** {@code slots} (a power of two) texts of at most {@code maxLength} bytes, {@code width} ids each. */
    ParsedTexts(final int slots, final int maxLength, final int width)
    {
        this.width = width;
        this.maxLength = maxLength;
        this.slots = slots;
        this.mask = slots - 1;
    }

    private void allocate()
    {
        hashes = new int[slots];
        lengths = new int[slots];
        java.util.Arrays.fill(lengths, -1);
        bytes = new UnsafeBuffer(new byte[slots * maxLength]);
        values = new int[slots * width];
    }

    /** The hash to find or keep the text by. */
    static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        return Dictionary.hash(buffer, offset, length);
    }

    /** Where the text's ids start in {@link #values()}, or -1 when it is not kept. */
    int find(final int hash, final DirectBuffer buffer, final int offset, final int length)
    {
        if (lengths == null)
        {
            return -1;
        }
        final int slot = hash & mask;
        return lengths[slot] == length && hashes[slot] == hash && equals(slot * maxLength, buffer, offset, length) ?
            slot * width : -1;
    }

    /** Keeps the text in its slot (if it fits one), and returns where its ids go in {@link #values()}; -1 if not kept. */
    int keep(final int hash, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > maxLength)
        {
            return -1;
        }
        if (lengths == null)
        {
            allocate();
        }
        final int slot = hash & mask;
        hashes[slot] = hash;
        lengths[slot] = length;
        bytes.putBytes(slot * maxLength, buffer, offset, length);
        return slot * width;
    }

    int[] values()
    {
        return values;
    }

    private boolean equals(final int start, final DirectBuffer buffer, final int offset, final int length)
    {
        return Dictionary.equalBytes(bytes, start, buffer, offset, length);
    }
}
