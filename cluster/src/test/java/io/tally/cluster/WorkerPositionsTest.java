package io.tally.cluster;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPositionsTest
{
    @Test
    void aRecordAtOrBelowTheHighestIndexCountedForItsNodeAndPartitionIsARepeat()
    {
        final WorkerPositions positions = new WorkerPositions();
        assertFalse(positions.isRepeat(0, "node-a", 10));
        positions.counted(0, "node-a", 10);
        assertTrue(positions.isRepeat(0, "node-a", 10));
        assertTrue(positions.isRepeat(0, "node-a", 9));
        assertFalse(positions.isRepeat(0, "node-a", 11));
        assertFalse(positions.isRepeat(0, "node-b", 5), "another node's indices are its own");
        assertFalse(positions.isRepeat(1, "node-a", 5), "another partition's records are others");
    }

    @Test
    void offsetsAndRepeatMarksSurviveTheCheckpointAndTheCommittedMetadata()
    {
        final WorkerPositions positions = new WorkerPositions();
        positions.counted(2, "node-a", 77);
        positions.counted(2, "node-b", 5);
        positions.offset(2, 1234);
        positions.offset(0, 9);
        final WorkerPositions decoded = WorkerPositions.decode(positions.encode());
        assertEquals(Map.of(0, 9L, 2, 1234L), decoded.offsets());
        assertTrue(decoded.isRepeat(2, "node-a", 77));
        assertFalse(decoded.isRepeat(2, "node-a", 78));
        assertEquals(-1, WorkerPositions.decode(new byte[0]).offset(2), "a fresh worker has counted nothing");

        final WorkerPositions next = new WorkerPositions();
        next.adopt(2, 1234, positions.metadata(2));
        assertEquals(1234, next.offset(2));
        assertTrue(next.isRepeat(2, "node-b", 5));
        assertFalse(next.isRepeat(2, "node-b", 6));
        assertThrows(IllegalStateException.class, () -> WorkerPositions.decode(new byte[] {0, 0, 0, 9}));
    }

    @Test
    void aPartitionRemembersAtMostMaxNodesAndCountsTheNodesPastIt()
    {
        final WorkerPositions positions = new WorkerPositions();
        for (int node = 0; node < WorkerPositions.MAX_NODES; node++)
        {
            positions.counted(0, "node-" + node, 1);
        }
        assertEquals(0, positions.nodesRefused(), "at the cap");
        positions.counted(0, "one-more", 1);
        assertEquals(1, positions.nodesRefused(), "past the cap");
        assertFalse(positions.isRepeat(0, "one-more", 1));
        positions.counted(0, "node-0", 2);
        assertTrue(positions.isRepeat(0, "node-0", 2), "a node already remembered still is");
    }
}
