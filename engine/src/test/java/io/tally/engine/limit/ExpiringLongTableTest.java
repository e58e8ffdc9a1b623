package io.tally.engine.limit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpiringLongTableTest
{
    private static final int MAX = 100;

    @Test
    void touchingAKeyChangesNothingWhileTheTableGrowsToItsBoundAndRefusesPastIt()
    {
        final ExpiringLongTable table = new ExpiringLongTable(MAX);
        for (int key = 0; key < MAX; key++)
        {
            table.touch(key, 7);
            assertEquals(-1, table.find(key, 7), "touching does not insert");
            assertTrue(table.insert(key, 7, 1_000 + key, key, 0) >= 0, "key " + key + " fits under the bound");
            for (int earlier = 0; earlier <= key; earlier++)
            {
                table.touch(earlier, 7);
                final int slot = table.find(earlier, 7);
                assertEquals(1_000 + earlier, table.value1(slot), "key " + earlier + " after " + key + " inserts");
                assertEquals(earlier, table.value2(slot));
            }
            assertEquals(key + 1, table.size());
        }
        table.touch(MAX, 7);
        assertEquals(-1, table.insert(MAX, 7, 5_000, 0, 0), "past the bound, with every entry live");
        assertEquals(MAX, table.size());
    }
}
