package io.tally.store.agent;

import org.agrona.concurrent.Agent;

/** A background agent that can be thrown away after a failure and replaced by a fresh one. */
public interface RestartableAgent extends Agent
{
    /**
     * Releases what this instance holds (readers, files) without writing any state: it failed, so what it holds
     * in memory may be half-done. A fresh instance resumes from the last state written.
     */
    void abandon();
}
