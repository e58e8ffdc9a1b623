package io.tally.engine.http;

import io.tally.engine.EngineConfig;
import io.tally.engine.site.Site;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColdWorkTest
{
    @TempDir
    Path dir;

    @Test
    void theApiNeedsAtLeastOneThreadAndOneQueuedRequest()
    {
        final EngineConfig atTheLimit = config().apiThreads(1).apiQueue(1).build();
        assertEquals(1, atTheLimit.apiThreads());
        assertEquals(1, atTheLimit.apiQueue());
        final String noThread = assertThrows(IllegalArgumentException.class, () -> config().apiThreads(0).build()).getMessage();
        assertTrue(noThread.startsWith("API threads and API queue must be positive"), noThread);
        final String noQueue = assertThrows(IllegalArgumentException.class, () -> config().apiQueue(0).build()).getMessage();
        assertTrue(noQueue.startsWith("API threads and API queue must be positive"), noQueue);
        final String noWait = assertThrows(IllegalArgumentException.class, () -> config().apiWait(Duration.ZERO).build())
            .getMessage();
        assertTrue(noWait.startsWith("API wait must be positive"), noWait);
        assertEquals(Duration.ofMillis(1), config().apiWait(Duration.ofMillis(1)).build().apiWait(), "the least wait");
    }

    /** Past {@code --api-wait} in the queue, the task's "too late" answer runs in its place; within it, the task. */
    @Test
    void aTaskThatWaitedPastTheLimitRunsItsTooLateAnswerInstead() throws InterruptedException
    {
        final long limitMillis = 200;
        try (ColdWork work = ColdWork.start(1, 2, Duration.ofMillis(limitMillis)))
        {
            final CountDownLatch release = holdTheOnlyThread(work);
            final AtomicInteger ran = new AtomicInteger();
            final AtomicInteger late = new AtomicInteger();
            assertTrue(work.submit(ran::incrementAndGet, late::incrementAndGet));
            final long queued = System.nanoTime();
            // the limit counts from before submit returned: once this much has passed here, it has passed there
            while (System.nanoTime() - queued <= TimeUnit.MILLISECONDS.toNanos(limitMillis))
            {
                Thread.sleep(10);
            }
            release.countDown();
            work.close(10_000);
            assertEquals(0, ran.get(), "the task itself did not run");
            assertEquals(1, late.get(), "its too-late answer did");
            assertEquals(1, work.late());
        }
    }

    @Test
    void aTaskThatWaitedWithinTheLimitRuns() throws InterruptedException
    {
        try (ColdWork work = ColdWork.start(1, 2, Duration.ofHours(1)))
        {
            final CountDownLatch release = holdTheOnlyThread(work);
            final AtomicInteger ran = new AtomicInteger();
            final AtomicInteger late = new AtomicInteger();
            assertTrue(work.submit(ran::incrementAndGet, late::incrementAndGet));
            Thread.sleep(50);
            release.countDown();
            work.close(10_000);
            assertEquals(1, ran.get());
            assertEquals(0, late.get());
            assertEquals(0, work.late());
        }
    }

    /** Gives the pool's one thread a task that waits for the latch returned; returns once the thread runs it. */
    private static CountDownLatch holdTheOnlyThread(final ColdWork work) throws InterruptedException
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch running = new CountDownLatch(1);
        assertTrue(work.submit(() ->
        {
            running.countDown();
            awaitQuietly(release);
        }));
        assertTrue(running.await(10, TimeUnit.SECONDS));
        return release;
    }

    private EngineConfig.Builder config()
    {
        return EngineConfig.builder(dir).sites(List.of(new Site("shop.example")));
    }

    @Test
    void takesAsManyTasksAsItsThreadsAndQueueHoldAndRefusesTheNext() throws InterruptedException
    {
        try (ColdWork work = ColdWork.start(2, 3, Duration.ofHours(1)))
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
