package io.tally.store.rollup;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecentLongMapTest
{
    private static final int CAPACITY = 1_000;

    @Test
    void holdsItsCapacityAndForgetsTheOlderHalfOnePast()
    {
        final RecentLongMap<String> map = new RecentLongMap<>(CAPACITY);
        for (long key = 0; key < CAPACITY; key++)
        {
            map.put(key, "v" + key);
        }
        assertEquals(CAPACITY, map.size());
        assertEquals("v0", map.get(0), "at capacity nothing is forgotten");

        map.put(CAPACITY, "past");
        assertNull(map.get(1), "one past capacity, the generation not used since goes");
        assertNotNull(map.get(0), "an entry used since moved to the newer generation and stays");
        assertEquals("past", map.get(CAPACITY));
        assertEquals(CAPACITY / 2 + 2, map.size());
    }

    @Test
    void aKeyUsedWithinHalfTheCapacitySurvivesAnyNumberOfInsertions()
    {
        final RecentLongMap<Long> map = new RecentLongMap<>(CAPACITY);
        map.put(-1, -1L);
        for (long key = 0; key < 100 * CAPACITY; key++)
        {
            map.put(key, key);
            if (key % (CAPACITY / 2) == 0)
            {
                assertEquals(-1L, map.get(-1));
            }
            assertEquals(true, map.size() <= CAPACITY, "bounded");
        }
    }

    @Test
    void aCheckpointRestoresTheEntriesAndTheirGenerations() throws IOException
    {
        final RecentLongMap<String> map = new RecentLongMap<>(CAPACITY);
        for (long key = 0; key < CAPACITY; key++)
        {
            map.put(key, "v" + key);
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        map.write(new DataOutputStream(bytes), (out, value) -> out.writeUTF(value));
        final RecentLongMap<String> restored = new RecentLongMap<>(CAPACITY);
        restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), in -> in.readUTF());

        assertEquals(CAPACITY, restored.size());
        restored.put(-1, "new");
        assertEquals("v999", restored.get(999), "in the newer generation before the checkpoint, so after it");
        assertNull(restored.get(4), "in the older generation before the checkpoint, so after it");
    }

    @Test
    void aCheckpointTakenAfterAHitInTheOlderGenerationForgetsWhatOnePassWould() throws IOException
    {
        final RecentLongMap<String> onePass = new RecentLongMap<>(4);
        onePass.put(1, "1");
        onePass.put(2, "2");
        onePass.put(3, "3");
        onePass.get(1);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        onePass.write(new DataOutputStream(bytes), (out, value) -> out.writeUTF(value));
        final RecentLongMap<String> restored = new RecentLongMap<>(4);
        restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), in -> in.readUTF());

        onePass.put(4, "4");
        restored.put(4, "4");
        assertNull(onePass.get(2), "2 was not used since the last rotation");
        assertNull(restored.get(2), "so after a checkpoint it goes at the same put");
        assertEquals("1", restored.get(1));
        assertEquals("3", restored.get(3));
    }

    @Test
    void refusesACapacityThatCannotHoldTwoGenerations()
    {
        assertThrows(IllegalArgumentException.class, () -> new RecentLongMap<>(1));
    }
}
