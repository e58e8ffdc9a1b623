package io.tally.engine.limit;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest
{
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    private RateLimiter limiter(final double rate, final int burst, final int maxAddresses)
    {
        return new RateLimiter(rate, burst, maxAddresses, now::get);
    }

    private static long ipv4(final int n)
    {
        return 0xFFFF_0000_0000L | (n & 0xFFFF_FFFFL);
    }

    @Test
    void anIdleAddressMaySendItsBurstThenTheRate()
    {
        final RateLimiter limiter = limiter(20, 40, 1000);
        for (int i = 0; i < 40; i++)
        {
            assertEquals(0, limiter.tryAcquire(0, ipv4(1)), "request " + i + " of the burst");
        }
        final long wait = limiter.tryAcquire(0, ipv4(1));
        assertEquals(SECOND / 20, wait, "the 41st waits one interval");
        assertEquals(1, RateLimiter.retryAfterSeconds(wait));
        now.addAndGet(SECOND / 20);
        assertEquals(0, limiter.tryAcquire(0, ipv4(1)), "one token came back after 50 ms");
        assertTrue(limiter.tryAcquire(0, ipv4(1)) > 0);
        assertEquals(0, limiter.tryAcquire(0, ipv4(2)), "another address has its own bucket");
        assertEquals(2, limiter.limitedCount());
    }

    @Test
    void aFullTwoSecondsRefillsTheWholeBurst()
    {
        final RateLimiter limiter = limiter(20, 40, 1000);
        for (int i = 0; i < 40; i++)
        {
            limiter.tryAcquire(0, ipv4(7));
        }
        now.addAndGet(2 * SECOND);
        for (int i = 0; i < 40; i++)
        {
            assertEquals(0, limiter.tryAcquire(0, ipv4(7)), "request " + i);
        }
        assertTrue(limiter.tryAcquire(0, ipv4(7)) > 0);
    }

    @Test
    void retryAfterIsRoundedUpToWholeSeconds()
    {
        final RateLimiter limiter = limiter(0.25, 1, 1000);
        assertEquals(0, limiter.tryAcquire(0, ipv4(3)));
        final long wait = limiter.tryAcquire(0, ipv4(3));
        assertEquals(4 * SECOND, wait);
        assertEquals(4, RateLimiter.retryAfterSeconds(wait));
        assertEquals(1, RateLimiter.retryAfterSeconds(1));
        assertEquals(2, RateLimiter.retryAfterSeconds(SECOND + 1));
    }

    @Test
    void zeroRateOrZeroBurstTurnsItOff()
    {
        for (final RateLimiter limiter : new RateLimiter[] {limiter(0, 40, 10), limiter(20, 0, 10)})
        {
            assertFalse(limiter.isEnabled());
            for (int i = 0; i < 1000; i++)
            {
                assertEquals(0, limiter.tryAcquire(0, ipv4(1)));
            }
            assertEquals(0, limiter.trackedAddresses());
        }
    }

    @Test
    void reconfiguringKeepsBuckets()
    {
        final RateLimiter limiter = limiter(20, 40, 1000);
        for (int i = 0; i < 40; i++)
        {
            limiter.tryAcquire(0, ipv4(9));
        }
        limiter.reconfigure(20, 50);
        for (int i = 0; i < 10; i++)
        {
            assertEquals(0, limiter.tryAcquire(0, ipv4(9)), "the 10 extra of the larger burst");
        }
        assertTrue(limiter.tryAcquire(0, ipv4(9)) > 0, "the bucket kept its 40 used tokens");
        assertEquals(1, limiter.trackedAddresses());
    }

    @Test
    void ipv4AndIpv6AddressesAreDistinctKeys()
    {
        final RateLimiter limiter = limiter(1, 1, 1000);
        assertEquals(0, limiter.tryAcquire(0, ipv4(1)));
        assertEquals(0, limiter.tryAcquire(0x2001_0db8_0000_0000L, 1));
        assertEquals(0, limiter.tryAcquire(0, 1));
        assertTrue(limiter.tryAcquire(0x2001_0db8_0000_0000L, 1) > 0);
    }

    @Test
    void hundredThousandAddressesAllTrackedWhenTheyFit()
    {
        final RateLimiter limiter = limiter(1, 2, 200_000);
        for (int i = 0; i < 100_000; i++)
        {
            assertEquals(0, limiter.tryAcquire(0, ipv4(i)));
            assertEquals(0, limiter.tryAcquire(0, ipv4(i)));
        }
        for (int i = 0; i < 100_000; i += 997)
        {
            assertTrue(limiter.tryAcquire(0, ipv4(i)) > 0, "address " + i + " spent its burst");
        }
        assertEquals(100_000, limiter.trackedAddresses());
        assertEquals(0, limiter.untrackedCount());
        now.addAndGet(10 * SECOND);
        assertEquals(0, limiter.expireIdle(), "every bucket is full again, so every entry goes");
    }

    @Test
    void memoryStaysBoundedUnderMoreAddressesThanTheLimit()
    {
        final int max = 10_000;
        final RateLimiter limiter = limiter(1, 5, max);
        final int slotsBound = 64 * 4 * ((max + 63) / 64);
        for (int i = 0; i < 100_000; i++)
        {
            assertEquals(0, limiter.tryAcquire(0, ipv4(i)), "new addresses are never refused for lack of room");
        }
        assertTrue(limiter.trackedAddresses() <= max + 64, "tracked " + limiter.trackedAddresses());
        assertTrue(limiter.allocatedSlots() <= slotsBound, "slots " + limiter.allocatedSlots());
        assertTrue(limiter.untrackedCount() > 0, "busy addresses past the bound are let through untracked");

        now.addAndGet(10 * SECOND);
        for (int i = 100_000; i < 200_000; i++)
        {
            assertEquals(0, limiter.tryAcquire(0, ipv4(i)));
        }
        assertTrue(limiter.trackedAddresses() <= max + 64);
        assertTrue(limiter.allocatedSlots() <= slotsBound);
    }

    @Test
    void idleBucketsMakeRoomForNewAddresses()
    {
        final RateLimiter limiter = limiter(10, 1, 6_400);
        for (int i = 0; i < 3_200; i++)
        {
            limiter.tryAcquire(0, ipv4(i));
        }
        assertEquals(0, limiter.untrackedCount(), "half full: everything tracked");
        now.addAndGet(SECOND);
        for (int i = 10_000; i < 14_000; i++)
        {
            limiter.tryAcquire(0, ipv4(i));
        }
        assertEquals(0, limiter.untrackedCount(), "the idle entries made room, nothing went untracked");
        assertTrue(limiter.trackedAddresses() <= 6_400);
        assertTrue(limiter.tryAcquire(0, ipv4(10_000)) > 0, "the new addresses are tracked and limited");
    }

    @Test
    void concurrentThreadsNeverExceedTheBurstForOneAddress() throws InterruptedException
    {
        final RateLimiter limiter = new RateLimiter(0.001, 100, 1000);
        final AtomicLong allowed = new AtomicLong();
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            threads[t] = new Thread(() ->
            {
                for (int i = 0; i < 10_000; i++)
                {
                    if (limiter.tryAcquire(0, ipv4(42)) == 0)
                    {
                        allowed.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(100, allowed.get());
        assertEquals(40_000 - 100, limiter.limitedCount());
    }
}
