package io.tally.engine.limit;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpiringLongTableTest
{
    private static final long WINDOW = 1_000;

    /**
     * Two streams of different times share a table (live traffic and a replay of the past): while the table has
     * room, an entry stays whatever the other stream's clock says, checked all along. (Dropping entries early by
     * the inserting stream's clock was tried, to keep the table at its live entries, and split the other stream's
     * sessions.)
     */
    @Test
    void whileThereIsRoomNoStreamsClockDropsAnotherStreamsEntries()
    {
        final ExpiringLongTable table = new ExpiringLongTable(1 << 20);
        final long live = 1_000_000_000L;
        long past = 0;
        for (long i = 1; i <= 200_000; i++)
        {
            assertTrue(table.insert(i * 0x9E3779B97F4A7C15L, 1, live + i, 0, live + i - WINDOW) >= 0);
            if (i % 10 == 0)
            {
                past++;
                assertTrue(table.insert(past * 0xC2B2AE3D27D4EB4FL, 2, past, 0, past - WINDOW) >= 0);
            }
            if (i % 1_000 == 0)
            {
                for (long t = Math.max(1, past - WINDOW + 1); t <= past; t++)
                {
                    assertTrue(table.find(t * 0xC2B2AE3D27D4EB4FL, 2) >= 0, "the past stream's entry " + t + " at " + i);
                }
                for (long t = Math.max(1, i - WINDOW + 1); t <= i; t++)
                {
                    assertTrue(table.find(t * 0x9E3779B97F4A7C15L, 1) >= 0, "the live stream's entry " + t + " at " + i);
                }
            }
        }
    }

    @Test
    void growsWhileItsEntriesAreLiveUpToItsBoundThenRefuses()
    {
        final int max = 5_000;
        final ExpiringLongTable table = new ExpiringLongTable(max);
        for (long key = 0; key < max; key++)
        {
            assertTrue(table.insert(key, ~key, 1_000_000, key, 0) >= 0, "key " + key);
        }
        assertEquals(max, table.size());
        assertTrue(table.slotCount() >= 2 * max && table.slotCount() <= 4 * max, "slots " + table.slotCount());
        assertEquals(-1, table.insert(max, ~max, 1_000_000, 0, 0), "full of live entries");
        for (long key = 0; key < max; key++)
        {
            final int slot = table.find(key, ~key);
            assertTrue(slot >= 0 && table.value2(slot) == key, "key " + key);
        }
    }

    @Test
    void aFullTableDropsTheEntriesExpiredByTheInsertsThresholdToMakeRoom()
    {
        final int max = 1_000;
        final ExpiringLongTable table = new ExpiringLongTable(max);
        for (long key = 0; key < max; key++)
        {
            table.insert(key, key, key < 10 ? 5 : 100, 0, 0);
        }
        assertEquals(max, table.size());
        assertTrue(table.insert(max, max, 100, 0, 50) >= 0, "room made");
        assertEquals(max - 10 + 1, table.size());
        for (long key = 0; key < 10; key++)
        {
            assertEquals(-1, table.find(key, key), "expired " + key);
        }
        assertTrue(table.find(10, 10) >= 0, "live kept");
    }

    /**
     * A run of entries that wraps past the last slot: three whose home is the last slot (they sit in it and in slots 0
     * and 1) and one whose home is slot 0 (pushed to slot 2). Expiring the first moves each of the others back one
     * slot, across the end; the sweep starts at slot 0, inside the run.
     */
    @Test
    void anExpiredEntryAtTheEndOfTheArrayMovesTheRunAfterItBackAcrossTheEnd()
    {
        final ExpiringLongTable table = new ExpiringLongTable(8);
        final int last = table.slotCount() - 1;
        final long[] keys = new long[4];
        int found = 0;
        for (long key = 1; found < 4; key++)
        {
            final int home = ExpiringLongTable.hash(key, ~key) & last;
            if (found < 3 ? home == last : home == 0)
            {
                keys[found++] = key;
            }
        }
        for (int i = 0; i < 4; i++)
        {
            table.insert(keys[i], ~keys[i], i == 0 ? 5 : 100, i, 0);
        }
        assertEquals(last, table.find(keys[0], ~keys[0]));
        assertEquals(0, table.find(keys[1], ~keys[1]));
        assertEquals(1, table.find(keys[2], ~keys[2]));
        assertEquals(2, table.find(keys[3], ~keys[3]));
        assertEquals(3, table.expire(10));
        assertEquals(-1, table.find(keys[0], ~keys[0]));
        assertEquals(last, table.find(keys[1], ~keys[1]), "moved back across the end");
        assertEquals(0, table.find(keys[2], ~keys[2]));
        assertEquals(1, table.find(keys[3], ~keys[3]), "moved back to its home");
        for (int i = 1; i < 4; i++)
        {
            assertEquals(i, table.value2(table.find(keys[i], ~keys[i])));
        }
    }

    /**
     * Expired entries are dropped in place: whatever the order of inserts, updates, sweeps at the bound and
     * {@code expire}, every entry the model says is held is found with its values, every other one is not, and the
     * table never holds more than its bound. Small tables over few slots make long runs that wrap past the last
     * slot, where a removal must move entries back across the end.
     */
    @Test
    void expiredEntriesDroppedInPlaceLeaveEveryOtherEntryReachable()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 200; round++)
        {
            final int max = 1 + random.nextInt(64);
            final ExpiringLongTable table = new ExpiringLongTable(max);
            final Map<Long, long[]> model = new HashMap<>();
            long now = 0;
            for (int step = 0; step < 2_000; step++)
            {
                now += random.nextInt(3);
                final long key = random.nextInt(4 * max);
                final int slot = table.find(key, ~key);
                assertEquals(model.containsKey(key), slot >= 0, "key " + key + " round " + round + " step " + step);
                final long expires = now + 1 + random.nextInt(40);
                if (slot >= 0)
                {
                    assertEquals(model.get(key)[0], table.value1(slot));
                    assertEquals(model.get(key)[1], table.value2(slot));
                    table.set(slot, expires, step);
                    model.put(key, new long[] {expires, step});
                }
                else if (random.nextInt(20) == 0)
                {
                    final long at = now;
                    assertEquals(model.values().stream().filter(v -> v[0] > at).count(), table.expire(now));
                    model.values().removeIf(v -> v[0] <= at);
                }
                else
                {
                    insert(table, model, key, expires, step, now, max);
                }
                assertEquals(model.size(), table.size());
            }
            for (final Map.Entry<Long, long[]> entry : model.entrySet())
            {
                final int slot = table.find(entry.getKey(), ~entry.getKey());
                assertTrue(slot >= 0 && table.value2(slot) == entry.getValue()[1], "key " + entry.getKey());
            }
        }
    }

    /** An insert into the table and into the model as the table's contract says: at the bound, expired entries go. */
    private static void insert(final ExpiringLongTable table, final Map<Long, long[]> model, final long key,
        final long expires, final long value2, final long now, final int max)
    {
        if (model.size() >= max)
        {
            final long live = model.values().stream().filter(v -> v[0] > now).count();
            if (live == model.size())
            {
                table.insert(key, ~key, expires, value2, now);
                return; // refused, or refused without a sweep for a while: neither holds the key
            }
        }
        final boolean full = model.size() >= max;
        final int slot = table.insert(key, ~key, expires, value2, now);
        if (full && slot < 0)
        {
            return; // a sweep was due only after more refusals
        }
        if (full)
        {
            model.values().removeIf(v -> v[0] <= now);
        }
        assertTrue(slot >= 0, "room for key " + key);
        model.put(key, new long[] {expires, value2});
    }
}
