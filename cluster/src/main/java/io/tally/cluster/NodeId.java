package io.tally.cluster;

import io.tally.store.state.StateFiles;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The name a node or worker goes by in the cluster: the configured one, else the one kept in the data dir, else a
 * new random one written there at first start. It belongs with the data dir: an ingest node's journal indices are
 * only unique together with it (a node whose data dir is wiped gets a new one), and a worker's static group
 * membership and checkpoint go with its disk.
 */
public final class NodeId
{
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private NodeId()
    {
    }

    public static String resolve(final String configured, final StateFiles files, final String file, final String prefix)
    {
        if (configured != null && !configured.isBlank())
        {
            return check(configured.trim());
        }
        final String kept = files.load(file, true, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        if (kept != null && VALID.matcher(kept).matches())
        {
            return kept;
        }
        final byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        final String made = prefix + HexFormat.of().formatHex(random);
        files.write(file, made.getBytes(StandardCharsets.UTF_8));
        return made;
    }

    /** A name made of letters, digits, dot, dash and underscore, at most 64: it goes into Kafka ids and headers. */
    public static String check(final String id)
    {
        if (!VALID.matcher(id).matches())
        {
            throw new IllegalArgumentException("a node id is 1 to 64 letters, digits, '.', '-' or '_': '" + id + "'");
        }
        return id;
    }
}
