package io.tally.engine.ingest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdempotencyKeysTest
{
    private static final long T0 = 1_790_000_000_000L;

    @Test
    void aKeyIsClaimedOnceWithinTheRetentionAndAgainAfterIt()
    {
        final IdempotencyKeys keys = new IdempotencyKeys(1_000);
        assertTrue(keys.claim(1, 2, T0));
        assertFalse(keys.claim(1, 2, T0 + 1000));
        assertFalse(keys.claim(1, 2, T0 + IdempotencyKeys.RETENTION_MILLIS - 1));
        assertTrue(keys.claim(1, 2, T0 + IdempotencyKeys.RETENTION_MILLIS), "kept 7 days, not forever");
        keys.release(1, 2);
        assertTrue(keys.claim(1, 2, T0 + IdempotencyKeys.RETENTION_MILLIS + 1), "a released claim can be made again");
    }

    @Test
    void pastTheBoundNewKeysAreStoredButNotRememberedAndCounted()
    {
        final int max = 6_400;
        final IdempotencyKeys keys = new IdempotencyKeys(max);
        for (long i = 0; i < 3_200; i++)
        {
            assertTrue(keys.claim(i * 0x9E3779B97F4A7C15L, i, T0));
        }
        assertEquals(0, keys.untrackedCount(), "half full: all remembered");
        for (long i = 0; i < 3_200; i++)
        {
            assertFalse(keys.claim(i * 0x9E3779B97F4A7C15L, i, T0 + 1), "key " + i + " is a repeat");
        }
        for (long i = 10_000; i < 30_000; i++)
        {
            keys.claim(i * 0x9E3779B97F4A7C15L, i, T0 + 2);
        }
        assertTrue(keys.untrackedCount() > 0, "more keys than the bound within the retention");
        assertTrue(keys.untrackedCount() <= 30_000 - 10_000 - (max - 3_200));
        assertTrue(keys.claim(99_999 * 0x9E3779B97F4A7C15L, 99_999, T0 + IdempotencyKeys.RETENTION_MILLIS + 3),
            "old keys make room once their retention is over");
    }
}
