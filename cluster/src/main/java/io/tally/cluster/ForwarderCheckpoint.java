package io.tally.cluster;

import io.tally.store.state.StateFiles;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * {@code DATA_DIR/forwarder.ckpt}: the journal index up to which the brokers have acknowledged every record (a
 * sealed state file, replaced atomically). Written after each transaction commits, so a restart resends at most
 * the records of the transaction that was committing when it stopped; the workers recognise those.
 */
final class ForwarderCheckpoint
{
    static final String FILE = "forwarder.ckpt";
    private static final int MAGIC = 0x54464331;

    private final StateFiles files;

    ForwarderCheckpoint(final StateFiles files)
    {
        this.files = files;
    }

    /** The last journal index forwarded; -1 for none (forwarding starts at the journal's first record). */
    long load()
    {
        final Long index = files.load(FILE, false, stream ->
        {
            final DataInputStream in = new DataInputStream(stream);
            if (in.readInt() != MAGIC)
            {
                throw new IOException("not a forwarder checkpoint");
            }
            return in.readLong();
        });
        return index == null ? -1 : index;
    }

    void write(final long index)
    {
        files.write(FILE, stream ->
        {
            final DataOutputStream out = new DataOutputStream(stream);
            out.writeInt(MAGIC);
            out.writeLong(index);
            out.flush();
        });
    }
}
