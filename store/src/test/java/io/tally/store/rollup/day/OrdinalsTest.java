package io.tally.store.rollup.day;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Ordinals are a dictionary: each id keeps the ordinal it was first given, new ids get the next, known ids theirs. */
class OrdinalsTest
{
    @Test
    void eachIdKeepsItsOrdinalThroughGrowth()
    {
        final Random random = new Random(3);
        // a sealed day's ids: 1,000 of them, ordinals 0-999
        final Map<Long, Integer> sealed = new HashMap<>();
        for (int i = 0; i < 1_000; i++)
        {
            sealed.put(random.nextLong(), i);
        }
        final Long[] sealedIds = sealed.keySet().toArray(new Long[0]);
        final Ordinals.Known known = new Ordinals.Known()
        {
            @Override
            public int ordinalOf(final long id)
            {
                return sealed.getOrDefault(id, -1);
            }

            @Override
            public int count()
            {
                return sealed.size();
            }
        };
        for (final Ordinals.Known start : new Ordinals.Known[] {Ordinals.Known.NONE, known})
        {
            for (final int expected : new int[] {0, 100, 50_000})
            {
                final Ordinals ordinals = new Ordinals(start, expected);
                final Map<Long, Integer> given = new HashMap<>();
                for (int i = 0; i < 200_000; i++)
                {
                    // small ids, ids that differ in high bits only, random ones, repeats, and the sealed day's
                    final long id = switch (random.nextInt(5))
                    {
                        case 0 -> random.nextInt(30_000);
                        case 1 -> (long)random.nextInt(30_000) << 40;
                        case 2 -> random.nextLong();
                        case 3 -> sealedIds[random.nextInt(sealedIds.length)];
                        default -> given.isEmpty() ? -1L : given.keySet().iterator().next();
                    };
                    final int ordinal = ordinals.ordinal(id);
                    final int sealedOrdinal = start.ordinalOf(id);
                    final Integer before = given.putIfAbsent(id, ordinal);
                    if (before != null)
                    {
                        assertEquals(before.intValue(), ordinal, "id " + id);
                    }
                    else if (sealedOrdinal >= 0)
                    {
                        assertEquals(sealedOrdinal, ordinal, "known id " + id);
                    }
                    else
                    {
                        assertEquals(start.count() + ordinals.added() - 1, ordinal, "new id " + id);
                        assertEquals(id, ordinals.addedId(ordinals.added() - 1));
                    }
                }
            }
        }
    }
}
