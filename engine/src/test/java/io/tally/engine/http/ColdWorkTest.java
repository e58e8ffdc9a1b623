package io.tally.engine.http;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColdWorkTest
{
    @Test
    void takesAsManyTasksAsItsThreadsAndQueueHoldAndRefusesTheNext() throws InterruptedException
    {
        try (ColdWork work = ColdWork.start(2, 3))
        {
            final CountDownLatch release = new CountDownLatch(1);
            final CountDownLatch running = new CountDownLatch(2);
            final AtomicInteger done = new AtomicInteger();
            final Runnable blocker = () ->
            {
                running.countDown();
                awaitQuietly(release);
                done.incrementAndGet();
            };
            for (int i = 0; i < 5; i++)
            {
                assertTrue(work.submit(blocker), "task " + i + " of 2 threads + 3 queued");
                if (i == 1)
                {
                    assertTrue(running.await(10, TimeUnit.SECONDS), "both threads took a task");
                }
            }
            assertEquals(3, work.queued());
            assertFalse(work.submit(blocker), "the sixth is past the queue");
            assertEquals(1, work.refused());

            release.countDown();
            work.close(10_000);
            assertEquals(5, done.get(), "every task taken was run");
            assertFalse(work.submit(blocker), "nothing is taken once closed");
        }
    }

    @Test
    void inlineWorkRunsOnTheCallersThread()
    {
        final Thread caller = Thread.currentThread();
        final Thread[] ran = new Thread[1];
        assertTrue(ColdWork.inline().submit(() -> ran[0] = Thread.currentThread()));
        assertEquals(caller, ran[0]);
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
