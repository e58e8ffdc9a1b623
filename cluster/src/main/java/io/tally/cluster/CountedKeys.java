package io.tally.cluster;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.engine.identity.SipHasher;
import io.tally.engine.ingest.IdempotencyKeys;
import io.tally.engine.limit.ExpiringLongTable;
import org.agrona.DirectBuffer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The idempotency keys ({@code id}) of the trusted events a rollup worker counted, so that an event a second ingest
 * node stored again (a replay repeated through it: each node remembers only the keys it took) is not counted twice.
 * Both copies reach this worker when both nodes gave the event the same visitor id, which they do for events of past
 * days once the nodes share {@code DATA_DIR/historical-salt} (the record's key, site and visitor, picks the
 * partition). Keys are 128-bit SipHashes of site and key, remembered 7 days after the receive time of the copy
 * counted, as a node does, up to {@code maxKeys}: past it a new key is counted and not remembered
 * ({@link #untracked()}), never dropped. Saved in the rollups' checkpoint with the figures ({@link WorkerCheckpoint}),
 * so a restarted worker remembers exactly the keys of what its figures count. Backfilled conversions carry their
 * event's key and are not events: they are left alone.
 */
final class CountedKeys
{
    private static final long SEED_0 = 0x7D2C_41E9_0B5A_C613L;
    private static final long SEED_1 = 0x1F94_E7A0_3C68_5BD2L;

    private final int maxKeys;
    private final ExpiringLongTable table;
    private final SipHasher hasher = new SipHasher();
    private long untracked;
    private long duplicates;

    CountedKeys(final int maxKeys)
    {
        this.maxKeys = maxKeys;
        this.table = new ExpiringLongTable(maxKeys);
    }

    /**
     * Whether {@code record} is a trusted event whose key was counted within the retention: a duplicate, not to be
     * counted. Otherwise notes its key (if it has one) and answers false.
     */
    boolean isDuplicate(final EventRecordDecoder record)
    {
        if (record.stringLength(EventRecord.IDEMPOTENCY_KEY) == 0 || record.isBackfill())
        {
            return false;
        }
        final long high = hash(record, SEED_0, SEED_1);
        final long low = hash(record, SEED_1, SEED_0);
        final long receivedAt = record.receivedAt();
        final int slot = table.find(high, low);
        if (slot >= 0 && table.value1(slot) > receivedAt)
        {
            duplicates++;
            return true;
        }
        remember(high, low, receivedAt + IdempotencyKeys.RETENTION_MILLIS, receivedAt);
        return false;
    }

    private void remember(final long high, final long low, final long expiresAt, final long now)
    {
        final int slot = table.find(high, low);
        if (slot >= 0)
        {
            table.set(slot, Math.max(expiresAt, table.value1(slot)), 0);
        }
        else if (table.insert(high, low, expiresAt, 0, now) < 0)
        {
            untracked++;
        }
    }

    /** Keys counted but not remembered, because {@code maxKeys} live ones were. */
    long untracked()
    {
        return untracked;
    }

    /** Trusted events not counted because their key was counted before. */
    long duplicates()
    {
        return duplicates;
    }

    private long hash(final EventRecordDecoder record, final long seed0, final long seed1)
    {
        final DirectBuffer buffer = record.buffer();
        hasher.reset(seed0, seed1);
        final int site = record.stringOffset(EventRecord.SITE);
        final int siteLength = record.stringLength(EventRecord.SITE);
        for (int i = 0; i < siteLength; i++)
        {
            hasher.putByte(buffer.getByte(site + i));
        }
        hasher.putLong(siteLength);
        final int id = record.stringOffset(EventRecord.IDEMPOTENCY_KEY);
        final int idLength = record.stringLength(EventRecord.IDEMPOTENCY_KEY);
        for (int i = 0; i < idLength; i++)
        {
            hasher.putByte(buffer.getByte(id + i));
        }
        return hasher.finish();
    }

    /** Writes the remembered keys: a count, then each key's two halves and its expiry. */
    void writeTo(final DataOutputStream out) throws IOException
    {
        final int[] count = new int[1];
        table.forEach(Long.MIN_VALUE, (high, low, expiresAt, unused) -> count[0]++);
        out.writeInt(count[0]);
        out.writeLong(untracked);
        out.writeLong(duplicates);
        try
        {
            table.forEach(Long.MIN_VALUE, (high, low, expiresAt, unused) ->
            {
                try
                {
                    out.writeLong(high);
                    out.writeLong(low);
                    out.writeLong(expiresAt);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
    }

    /** The keys {@link #writeTo} wrote, in a table of {@code maxKeys} (a smaller bound than before keeps the first). */
    static CountedKeys readFrom(final DataInputStream in, final int maxKeys) throws IOException
    {
        final CountedKeys keys = new CountedKeys(maxKeys);
        final int count = in.readInt();
        keys.untracked = in.readLong();
        keys.duplicates = in.readLong();
        for (int i = 0; i < count; i++)
        {
            keys.remember(in.readLong(), in.readLong(), in.readLong(), Long.MIN_VALUE);
        }
        return keys;
    }

    int maxKeys()
    {
        return maxKeys;
    }
}
