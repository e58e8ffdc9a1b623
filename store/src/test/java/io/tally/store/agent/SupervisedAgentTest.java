package io.tally.store.agent;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The supervisor's states, driven by hand: no thread, no clock to wait on beyond its backoff. */
class SupervisedAgentTest
{
    /** An agent that fails as told and records what was done to it. */
    private static class Scripted implements RestartableAgent
    {
        final List<String> calls;
        final Throwable failOnStart;
        final Throwable failOnWork;

        Scripted(final List<String> calls, final Throwable failOnStart, final Throwable failOnWork)
        {
            this.calls = calls;
            this.failOnStart = failOnStart;
            this.failOnWork = failOnWork;
        }

        @Override
        public void onStart()
        {
            calls.add("start");
            if (failOnStart instanceof RuntimeException)
            {
                throw (RuntimeException)failOnStart;
            }
        }

        @Override
        public int doWork()
        {
            calls.add("work");
            if (failOnWork instanceof Error)
            {
                throw (Error)failOnWork;
            }
            return 1;
        }

        @Override
        public void onClose()
        {
            calls.add("close");
        }

        @Override
        public void abandon()
        {
            calls.add("abandon");
        }

        @Override
        public String roleName()
        {
            return "scripted";
        }
    }

    @Test
    void anErrorInItsWorkAbandonsTheInstanceBacksOffAndStartsAFreshOne() throws Exception
    {
        final List<String> calls = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        final int[] made = {0};
        final long[] now = {1_000_000_000L};
        final SupervisedAgent agent = new SupervisedAgent("scripted", () ->
            new Scripted(calls, null, made[0]++ == 0 ? new InternalError("a fault in mapped memory") : null), errors::add,
            () -> now[0]);
        agent.onStart();
        assertEquals(SupervisedAgent.State.RUNNING, agent.state());
        assertEquals(0, agent.doWork(), "the error is not thrown to the runner, whose thread would die of it");
        assertEquals(SupervisedAgent.State.BACKING_OFF, agent.state());
        assertEquals("java.lang.InternalError: a fault in mapped memory", agent.lastError());
        assertEquals(List.of("start", "work", "abandon"), calls);
        now[0] += 99_000_000L;
        assertEquals(0, agent.doWork(), "nothing is tried before the backoff has passed");
        assertEquals(List.of("start", "work", "abandon"), calls);

        now[0] += 2_000_000L;
        agent.doWork();
        assertEquals(SupervisedAgent.State.RUNNING, agent.state());
        assertEquals(1, agent.restarts());
        assertEquals(1, agent.doWork());
        agent.onClose();
        assertEquals(List.of("start", "work", "abandon", "start", "work", "close"), calls);
        assertEquals(1, errors.size());
    }

    @Test
    void aFailedStartIsRetriedAndAFailedAgentIsNeverClosedAsIfItWereWhole()
    {
        final List<String> calls = new ArrayList<>();
        final SupervisedAgent agent = new SupervisedAgent("scripted", () ->
            new Scripted(calls, new IllegalStateException("checkpoint ahead of the journal"), null), error -> { });
        agent.onStart();
        assertEquals(SupervisedAgent.State.BACKING_OFF, agent.state());
        agent.onClose();
        assertEquals(SupervisedAgent.State.CLOSED, agent.state());
        assertEquals(List.of("start", "abandon"), calls, "closing would write the state of a half-started agent");
    }

    /**
     * Agrona's runner calls a throwing agent again at once, without idling: a journal closed under two tailers made
     * them spin on both cores of a small machine. Under the supervisor a second of failures is a handful of tries.
     */
    @Test
    void anAgentThatFailsEveryTimeIsTriedAFewTimesASecondNotSpun() throws Exception
    {
        final AtomicInteger tries = new AtomicInteger();
        final SupervisedAgent agent = new SupervisedAgent("failing", () -> new Scripted(new ArrayList<>(), null, null)
        {
            @Override
            public int doWork()
            {
                tries.incrementAndGet();
                throw new IllegalStateException("closed");
            }
        }, error -> { });
        try (AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(0, 0, 1_000_000, 20_000_000), error -> { }, null, agent))
        {
            AgentRunner.startOnThread(runner);
            Thread.sleep(1_000);
        }
        // a starved thread tries fewer times, never more: the bound that matters is the upper one
        assertTrue(tries.get() >= 1 && tries.get() <= 8, tries.get() + " tries in a second: backoff from 100 ms, doubling");
    }

    @Test
    void closedBeforeItStartedItTouchesNothing()
    {
        final SupervisedAgent agent = new SupervisedAgent("scripted", () ->
        {
            throw new AssertionError("never made");
        }, error -> { });
        agent.onClose();
        assertEquals(SupervisedAgent.State.CLOSED, agent.state());
        assertNull(agent.lastError());
        assertTrue(agent.restarts() == 0);
    }
}
