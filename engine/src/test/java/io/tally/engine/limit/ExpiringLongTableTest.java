package io.tally.engine.limit;

import org.junit.jupiter.api.Test;

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
}
