package io.tally.engine.limit;


/**
 * An open-addressing hash table from a 128-bit key to two {@code long} values, whose entries expire: an
 * entry whose first value is at or below a threshold the caller gives may be dropped whenever room is
 * needed. It grows by doubling up to {@code maxEntries} and never beyond, so memory is bounded whatever the
 * traffic. Not thread-safe: callers stripe and lock.
 * <p>
 * Slots are four longs side by side (key high, key low, value 1, value 2) so a probe touches one cache line.
 * An empty slot has {@link #EMPTY} as its first value, which no caller stores (values are times). Expired entries
 * are dropped in place (backward-shift deletion, no tombstones), so a table at its bound holds one array, not a
 * second one to sweep into.
 */
public final class ExpiringLongTable
{
    static final long EMPTY = Long.MIN_VALUE;
    private static final int SLOT_LONGS = 4;
    private static final int MIN_SLOTS = 16;

    private final int maxEntries;
    private long[] slots;
    private int mask;
    private int size;
    private int refusalsUntilSweep;

    public ExpiringLongTable(final int maxEntries)
    {
        if (maxEntries < 1)
        {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        allocate(MIN_SLOTS);
    }

    int size()
    {
        return size;
    }

    int slotCount()
    {
        return mask + 1;
    }

    /** The slot holding the key, or -1. */
    public int find(final long keyHigh, final long keyLow)
    {
        final long[] slots = this.slots;
        int slot = hash(keyHigh, keyLow) & mask;
        while (true)
        {
            final int base = slot * SLOT_LONGS;
            if (slots[base + 2] == EMPTY)
            {
                return -1;
            }
            if (slots[base] == keyHigh && slots[base + 1] == keyLow)
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Inserts a key known to be absent, making room by growing or by dropping entries whose first value is
     * at or below {@code expiredAtOrBelow}. When full of live entries, a failed sweep is retried only after
     * {@code maxEntries / 16} more refusals, so a flood of new keys costs amortized constant time per key.
     *
     * @return the new slot, or -1 when the table is full of live entries.
     */
    public int insert(final long keyHigh, final long keyLow, final long value1, final long value2, final long expiredAtOrBelow)
    {
        if (size >= maxEntries)
        {
            if (refusalsUntilSweep > 0)
            {
                refusalsUntilSweep--;
                return -1;
            }
            sweep(expiredAtOrBelow);
            if (size >= maxEntries)
            {
                refusalsUntilSweep = maxEntries / 16;
                return -1;
            }
        }
        else if (size + 1 > (mask + 1) / 2)
        {
            grow();
        }
        return place(keyHigh, keyLow, value1, value2);
    }

    public long value1(final int slot)
    {
        return slots[slot * SLOT_LONGS + 2];
    }

    public long value2(final int slot)
    {
        return slots[slot * SLOT_LONGS + 3];
    }

    public void set(final int slot, final long value1, final long value2)
    {
        slots[slot * SLOT_LONGS + 2] = value1;
        slots[slot * SLOT_LONGS + 3] = value2;
    }

    /** What {@link #forEach} hands each entry to. */
    @FunctionalInterface
    public interface EntryVisitor
    {
        void visit(long keyHigh, long keyLow, long value1, long value2);
    }

    /** Hands every entry whose first value is above {@code liveAbove} to {@code visitor} (to save the table). */
    public void forEach(final long liveAbove, final EntryVisitor visitor)
    {
        final long[] slots = this.slots;
        for (int base = 0; base < slots.length; base += SLOT_LONGS)
        {
            final long value1 = slots[base + 2];
            if (value1 != EMPTY && value1 > liveAbove)
            {
                visitor.visit(slots[base], slots[base + 1], value1, slots[base + 3]);
            }
        }
    }

    /** Drops every entry whose first value is at or below {@code expiredAtOrBelow}; returns how many are left. */
    int expire(final long expiredAtOrBelow)
    {
        sweep(expiredAtOrBelow);
        return size;
    }

    /** Puts a key known to be absent into the first empty slot from its home; the table has room. */
    private int place(final long keyHigh, final long keyLow, final long value1, final long value2)
    {
        final long[] target = slots;
        int slot = hash(keyHigh, keyLow) & mask;
        while (target[slot * SLOT_LONGS + 2] != EMPTY)
        {
            slot = (slot + 1) & mask;
        }
        final int base = slot * SLOT_LONGS;
        target[base] = keyHigh;
        target[base + 1] = keyLow;
        target[base + 2] = value1;
        target[base + 3] = value2;
        size++;
        return slot;
    }

    /** Moves every entry into a table of twice the slots. */
    private void grow()
    {
        final long[] old = slots;
        allocate((mask + 1) * 2);
        for (int base = 0; base < old.length; base += SLOT_LONGS)
        {
            if (old[base + 2] != EMPTY)
            {
                place(old[base], old[base + 1], old[base + 2], old[base + 3]);
            }
        }
    }

    /**
     * Drops every entry whose first value is at or below {@code expiredAtOrBelow}, in place. A removal moves an entry
     * the walk has not reached yet only into the slot the walk looks at again or into one it has still to reach (and
     * entries it has passed, which are live, perhaps back in front of it), so no expired entry is skipped.
     */
    private void sweep(final long expiredAtOrBelow)
    {
        final long[] slots = this.slots;
        int slot = 0;
        for (int walked = 0; walked <= mask; )
        {
            final long value1 = slots[slot * SLOT_LONGS + 2];
            if (value1 != EMPTY && value1 <= expiredAtOrBelow)
            {
                remove(slot);
            }
            else
            {
                slot = (slot + 1) & mask;
                walked++;
            }
        }
    }

    /**
     * Empties {@code slot}, then moves back each entry after it, up to the next empty slot, that may sit there (its
     * home slot not between the hole and itself), so every entry stays reachable from its home without tombstones.
     */
    private void remove(final int slot)
    {
        final long[] slots = this.slots;
        int hole = slot;
        for (int next = (slot + 1) & mask; slots[next * SLOT_LONGS + 2] != EMPTY; next = (next + 1) & mask)
        {
            final int base = next * SLOT_LONGS;
            final int home = hash(slots[base], slots[base + 1]) & mask;
            if (((next - home) & mask) >= ((next - hole) & mask))
            {
                System.arraycopy(slots, base, slots, hole * SLOT_LONGS, SLOT_LONGS);
                hole = next;
            }
        }
        slots[hole * SLOT_LONGS + 2] = EMPTY;
        size--;
    }

    private void allocate(final int slotCount)
    {
        slots = new long[slotCount * SLOT_LONGS];
        clear(slots);
        mask = slotCount - 1;
        size = 0;
    }

    private static void clear(final long[] slots)
    {
        for (int base = 0; base < slots.length; base += SLOT_LONGS)
        {
            slots[base + 2] = EMPTY;
        }
    }

    static int hash(final long keyHigh, final long keyLow)
    {
        long h = keyHigh * 0x9E3779B97F4A7C15L ^ keyLow;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int)h;
    }

    @Override
    public String toString()
    {
        return "ExpiringLongTable{size=" + size + ", slots=" + (mask + 1) + ", max=" + maxEntries + "}";
    }
}
