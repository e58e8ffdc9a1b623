package io.tally.engine.audience;

import io.tally.codec.EventRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classifier's thread: each User-Agent parsed once and cached; its queue bounded, a full one refuses at once. */
class AudienceClassifierTest
{
    @Test
    void aClassifiedUserAgentIsCachedAndHandedOnFromTheClassifiersThread() throws InterruptedException
    {
        try (AudienceClassifier classifier = new AudienceClassifier(new AudienceCache(10), new UserAgentParser(), 4))
        {
            classifier.awaitReady();
            final AudienceCache.Probe probe = new AudienceCache.Probe().wrap(AudienceHttpTest.BINGBOT);
            assertNull(classifier.find(probe));
            final CountDownLatch done = new CountDownLatch(1);
            final List<String> threads = new CopyOnWriteArrayList<>();
            assertTrue(classifier.classify(AudienceHttpTest.BINGBOT, audience ->
            {
                threads.add(Thread.currentThread().getName());
                done.countDown();
            }));
            assertTrue(done.await(30, TimeUnit.SECONDS));
            assertEquals(List.of("tally-audience"), threads);
            final Audience bingbot = classifier.find(probe);
            assertNotNull(bingbot);
            assertEquals(EventRecord.ROBOT_CRAWLER, bingbot.robotReason());
            assertSame(bingbot, classifier.prime(AudienceHttpTest.BINGBOT), "cached: not parsed again");
            assertEquals(1, classifier.classified());
        }
    }

    @Test
    void atItsQueuesCapacityItTakesUserAgentsAndPastItRefusesThemAtOnce() throws InterruptedException
    {
        final int queue = 3;
        try (AudienceClassifier classifier = new AudienceClassifier(new AudienceCache(10), new UserAgentParser(), queue))
        {
            classifier.awaitReady();
            final CountDownLatch release = new CountDownLatch(1);
            final CountDownLatch busy = new CountDownLatch(1);
            final CountDownLatch finished = new CountDownLatch(queue + 1);
            // the thread is held by the first one's hand-on, so the next ones wait in the queue
            assertTrue(classifier.classify("agent/0", audience ->
            {
                busy.countDown();
                await(release);
                finished.countDown();
            }));
            assertTrue(busy.await(30, TimeUnit.SECONDS));
            for (int i = 1; i <= queue; i++)
            {
                assertTrue(classifier.classify("agent/" + i, audience -> finished.countDown()), "at the capacity: " + i);
            }
            assertFalse(classifier.classify("agent/past", audience -> finished.countDown()), "past the capacity");
            assertEquals(1, classifier.refused());
            release.countDown();
            assertTrue(finished.await(30, TimeUnit.SECONDS));
            assertEquals(queue + 1, classifier.classified());
            assertNull(classifier.find(new AudienceCache.Probe().wrap("agent/past")), "the refused one was not classified");
        }
    }

    private static void await(final CountDownLatch latch)
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
