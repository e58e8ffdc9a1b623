package io.tally.engine.audience;

import io.tally.codec.EventRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The User-Agent cache: found by a probe over any characters, bounded, oldest out first past the cap. */
class AudienceCacheTest
{
    private static Audience audience(final int n)
    {
        return new Audience(EventRecord.ROBOT_NONE, "Browser" + n, null, null, null, EventRecord.DEVICE_DESKTOP);
    }

    @Test
    void aProbeOverAnyCharactersFindsTheEntryOfTheSameString()
    {
        final AudienceCache cache = new AudienceCache(4);
        final Audience chrome = audience(1);
        cache.put("Mozilla/5.0 Chrome", chrome);
        final AudienceCache.Probe probe = new AudienceCache.Probe();
        assertSame(chrome, cache.find(probe.wrap(new StringBuilder("Mozilla/5.0 Chrome"))));
        assertNull(cache.find(probe.wrap("Mozilla/5.0 Chrom")));
        assertNull(cache.find(probe.wrap("Mozilla/5.0 ChromE")));
        assertNull(cache.find(probe.wrap(null)), "no User-Agent is the empty one, not cached yet");
        cache.put("", Audience.UNKNOWN);
        assertSame(Audience.UNKNOWN, cache.find(probe.wrap(null)));
    }

    @Test
    void atTheCapEveryEntryIsKeptAndPastItTheOldestGoes()
    {
        final int cap = 100;
        final AudienceCache cache = new AudienceCache(cap);
        final AudienceCache.Probe probe = new AudienceCache.Probe();
        for (int i = 0; i < cap; i++)
        {
            cache.put("agent " + i, audience(i));
        }
        assertEquals(cap, cache.size());
        for (int i = 0; i < cap; i++)
        {
            assertEquals(audience(i), cache.find(probe.wrap("agent " + i)), "at the cap, entry " + i);
        }
        cache.put("agent 0", audience(0)); // again: replaced in place, nothing evicted
        assertEquals(cap, cache.size());
        for (int i = cap; i < 3 * cap; i++)
        {
            cache.put("agent " + i, audience(i));
            assertEquals(cap, cache.size(), "never past the cap");
        }
        for (int i = 0; i < 2 * cap; i++)
        {
            assertNull(cache.find(probe.wrap("agent " + i)), "evicted: " + i);
        }
        for (int i = 2 * cap; i < 3 * cap; i++)
        {
            assertNotNull(cache.find(probe.wrap("agent " + i)), "kept: " + i);
        }
    }

    @Test
    void aCacheHoldsAtLeastOne()
    {
        assertThrows(IllegalArgumentException.class, () -> new AudienceCache(0));
        final AudienceCache one = new AudienceCache(1);
        one.put("a", audience(1));
        one.put("b", audience(2));
        assertEquals(1, one.size());
        assertNull(one.find(new AudienceCache.Probe().wrap("a")));
    }
}
