package io.tally.store.agent;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * How the journal tailers (rollups, notifications) wait when they have caught up: parked at once, at least a
 * millisecond, never spinning or yielding. They share the cores with the request threads, so a spin is CPU
 * taken from requests; a millisecond's wait costs the tailers nothing and lets each wake-up take a batch.
 */
public final class BackgroundIdle
{
    private BackgroundIdle()
    {
    }

    public static IdleStrategy strategy()
    {
        return new BackoffIdleStrategy(0, 0, 1_000_000, 20_000_000);
    }
}
