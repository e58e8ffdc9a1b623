package io.tally.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a rollup worker keeps in the rollups' checkpoint beside the figures (the checkpoint's source position, one
 * atomic file): its {@link WorkerPositions} and its {@link CountedKeys}. Layout 2 is the version, the positions'
 * length and bytes, then the keys; a checkpoint of layout 1 (the positions alone, from a build without the keys)
 * loads with no key remembered.
 */
record WorkerCheckpoint(WorkerPositions positions, CountedKeys keys)
{
    private static final int VERSION = 2;
    /** The first int of a checkpoint holding positions alone. */
    private static final int POSITIONS_ONLY = 1;

    byte[] encode()
    {
        final byte[] encodedPositions = positions.encode();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(VERSION);
            out.writeInt(encodedPositions.length);
            out.write(encodedPositions);
            keys.writeTo(out);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /** The state a checkpoint holds; nothing counted for an empty one (a fresh worker). */
    static WorkerCheckpoint decode(final byte[] encoded, final int maxKeys)
    {
        if (encoded.length < Integer.BYTES)
        {
            return new WorkerCheckpoint(WorkerPositions.decode(encoded), new CountedKeys(maxKeys));
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded)))
        {
            final int version = in.readInt();
            if (version == POSITIONS_ONLY)
            {
                return new WorkerCheckpoint(WorkerPositions.decode(encoded), new CountedKeys(maxKeys));
            }
            if (version != VERSION)
            {
                throw new IOException("unknown layout " + version);
            }
            final byte[] encodedPositions = new byte[in.readInt()];
            in.readFully(encodedPositions);
            return new WorkerCheckpoint(WorkerPositions.decode(encodedPositions), CountedKeys.readFrom(in, maxKeys));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("the rollup checkpoint's worker state cannot be read: " + ex.getMessage(), ex);
        }
    }
}
