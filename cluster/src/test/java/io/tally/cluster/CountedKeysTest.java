package io.tally.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecordDecoder;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.Outcome;
import io.tally.engine.ingest.IdempotencyKeys;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountedKeysTest
{
    private static final long T0 = 1_780_000_000_000L;

    @Test
    void aKeyCountedOnceIsADuplicateOnEveryOtherNodeForSevenDays()
    {
        final CountedKeys keys = new CountedKeys(16);
        assertFalse(keys.isDuplicate(record("shop.example", "order-1", 1, T0)));
        assertTrue(keys.isDuplicate(record("shop.example", "order-1", 2, T0 + 60_000)), "another node's copy");
        assertFalse(keys.isDuplicate(record("other.example", "order-1", 1, T0)), "keys are per site");
        assertFalse(keys.isDuplicate(record("shop.example", "order-2", 1, T0)));
        assertFalse(keys.isDuplicate(record("shop.example", "", 1, T0)), "a beacon without a key");
        assertFalse(keys.isDuplicate(record("shop.example", "", 1, T0)), "beacons without a key are never duplicates");
        assertTrue(keys.isDuplicate(record("shop.example", "order-1", 3, T0 + IdempotencyKeys.RETENTION_MILLIS - 1)));
        assertFalse(keys.isDuplicate(record("shop.example", "order-1", 3, T0 + IdempotencyKeys.RETENTION_MILLIS)),
            "past the retention, as on a node, the key is new again");
        assertEquals(2, keys.duplicates());
    }

    @Test
    void atTheBoundEveryKeyIsRememberedAndPastItNewKeysCountAndAreNamedUntracked()
    {
        final CountedKeys keys = new CountedKeys(4);
        for (int i = 0; i < 4; i++)
        {
            assertFalse(keys.isDuplicate(record("shop.example", "k" + i, 1, T0)));
        }
        assertEquals(0, keys.untracked(), "four keys fit a bound of four");
        for (int i = 0; i < 4; i++)
        {
            assertTrue(keys.isDuplicate(record("shop.example", "k" + i, 2, T0 + 1)), "k" + i + " remembered");
        }
        assertFalse(keys.isDuplicate(record("shop.example", "k4", 1, T0)));
        assertEquals(1, keys.untracked(), "the fifth key is counted, not remembered");
        assertFalse(keys.isDuplicate(record("shop.example", "k4", 2, T0 + 1)), "so its copy counts too (and is named)");
        assertEquals(2, keys.untracked());
        assertFalse(keys.isDuplicate(record("shop.example", "k5", 1, T0 + IdempotencyKeys.RETENTION_MILLIS)),
            "expired keys make room");
        assertEquals(2, keys.untracked());
    }

    @Test
    void theKeysSurviveACheckpointWithThePositions() throws Exception
    {
        final CountedKeys keys = new CountedKeys(16);
        keys.isDuplicate(record("shop.example", "order-1", 1, T0));
        keys.isDuplicate(record("shop.example", "order-1", 2, T0));
        final WorkerPositions positions = new WorkerPositions();
        positions.offset(3, 42);
        positions.counted(3, "node-a", 7);
        final WorkerCheckpoint loaded = WorkerCheckpoint.decode(new WorkerCheckpoint(positions, keys).encode(), 16);
        assertEquals(42, loaded.positions().offset(3));
        assertTrue(loaded.positions().isRepeat(3, "node-a", 7));
        assertTrue(loaded.keys().isDuplicate(record("shop.example", "order-1", 3, T0)));
        assertFalse(loaded.keys().isDuplicate(record("shop.example", "order-2", 3, T0)));
        assertEquals(2, loaded.keys().duplicates(), "the count goes on from the checkpoint's");

        final WorkerCheckpoint old = WorkerCheckpoint.decode(positions.encode(), 16);
        assertEquals(42, old.positions().offset(3), "a checkpoint of positions alone (an earlier build) still loads");
        assertFalse(old.keys().isDuplicate(record("shop.example", "order-1", 3, T0)));
        assertEquals(-1, WorkerCheckpoint.decode(new byte[0], 16).positions().offset(3), "a fresh worker");

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            keys.writeTo(out);
        }
        final CountedKeys smaller = CountedKeys.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 1);
        assertTrue(smaller.isDuplicate(record("shop.example", "order-1", 4, T0)), "a smaller bound keeps what fits");
    }

    /** A pageview record of {@code site} with idempotency key {@code id} (none when empty), as a node journals it. */
    private static EventRecordDecoder record(final String site, final String id, final long visitor, final long receivedAt)
    {
        final Beacon beacon = new Beacon();
        final ByteBuf body = Unpooled.copiedBuffer("{\"t\":\"p\",\"u\":\"https://" + site + "/\"}", StandardCharsets.UTF_8);
        final ByteBuf key = Unpooled.copiedBuffer(id, StandardCharsets.UTF_8);
        try
        {
            assertEquals(Outcome.ACCEPTED, new BeaconDecoder().decode(body, beacon));
            final Enrichment enrichment = new Enrichment().reset().receivedAt(receivedAt).visitor(visitor).session(visitor)
                .site(site.getBytes(StandardCharsets.UTF_8));
            if (!id.isEmpty())
            {
                enrichment.idempotencyKey().wrap(key, 0, key.readableBytes());
            }
            final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(4096));
            final int length = encoder.encode(beacon, enrichment);
            final byte[] bytes = new byte[length];
            encoder.buffer().getBytes(0, bytes);
            final EventRecordDecoder decoder = new EventRecordDecoder();
            assertTrue(decoder.wrap(new UnsafeBuffer(bytes), 0, length));
            return decoder;
        }
        finally
        {
            body.release();
            key.release();
        }
    }
}
