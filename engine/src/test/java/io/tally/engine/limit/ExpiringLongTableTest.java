package io.tally.engine.limit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpiringLongTableTest
{
    private static final long WINDOW = 1_000;

    @Test
    void followsTheLiveEntriesNotEveryKeyItHasSeen()
    {
        final ExpiringLongTable table = new ExpiringLongTable(1 << 20);
        // a million keys, one a tick, each live for WINDOW ticks: never more than WINDOW live at once
        for (long now = 1; now <= 1_000_000; now++)
        {
            assertTrue(table.insert(now * 0x9E3779B97F4A7C15L, now, now, 7, now - WINDOW) >= 0);
            // a pass judges by the first threshold since the last pass, so what came since counts as live too:
            // the table settles at four to eight times the window (8,192 slots), and stays there
            if (now % 1_000 == 0)
            {
                assertTrue(table.slotCount() <= 8 * 1024, "slots " + table.slotCount() + " at " + now);
            }
        }
        // every key of the last window is still there with its values
        for (long now = 1_000_000 - WINDOW + 1; now <= 1_000_000; now++)
        {
            final int slot = table.find(now * 0x9E3779B97F4A7C15L, now);
            assertTrue(slot >= 0, "live key " + now + " kept");
            assertEquals(now, table.value1(slot));
            assertEquals(7, table.value2(slot));
        }
    }

    /**
     * Two streams of different times share the table (live traffic and a replay of the past): an entry live by
     * its own stream's clock stays, though the other stream's clock is far past it, checked all along.
     */
    @Test
    void anEntryLiveByItsOwnStreamsClockIsKeptWhateverAnotherStreamsTime()
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
    void expiredEntriesAreDroppedOnlyWhenRoomIsNeeded()
    {
        final ExpiringLongTable table = new ExpiringLongTable(100);
        // three that expire at 10 and five live ones fill the sixteen slots to half: nothing is swept yet
        for (long key = 1; key <= 8; key++)
        {
            table.insert(key, key, key <= 3 ? 10 : 100, 0, 50);
        }
        assertTrue(table.find(1, 1) >= 0, "kept while there is room");
        table.insert(9, 9, 100, 0, 50);
        for (long key = 1; key <= 3; key++)
        {
            assertEquals(-1, table.find(key, key), "dropped to make room");
        }
        assertEquals(16, table.slotCount(), "five live of sixteen: swept in place, not grown");
        assertEquals(6, table.size());
        // one more live than three eighths of the slots: the table doubles
        final ExpiringLongTable busier = new ExpiringLongTable(100);
        for (long key = 1; key <= 9; key++)
        {
            busier.insert(key, key, key <= 1 ? 10 : 100, 0, 50);
        }
        assertEquals(32, busier.slotCount(), "seven live of sixteen");
        assertEquals(-1, busier.find(1, 1), "the expired one dropped as it grew");
        assertEquals(8, busier.size());
    }
}
