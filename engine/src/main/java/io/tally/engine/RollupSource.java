package io.tally.engine;

import io.tally.store.agent.RestartableAgent;
import io.tally.store.rollup.RollupCheckpoint;
import io.tally.store.rollup.Rollups;
import io.tally.store.state.FreeSpace;

/**
 * Where the engine's rollups are counted from. One node counts its own journal (the default); a rollup worker of a
 * cluster counts records it consumes from Kafka instead, into the same rollups, checkpoints and stats API.
 */
@FunctionalInterface
public interface RollupSource
{
    /**
     * A fresh agent that counts into {@code rollups}: the first on the figures loaded at start, later ones (after a
     * failure) on the last checkpoint's, reloaded into the same object by the engine before this is called.
     */
    RestartableAgent newAgent(Rollups rollups, RollupCheckpoint checkpoints, FreeSpace freeSpace);
}
