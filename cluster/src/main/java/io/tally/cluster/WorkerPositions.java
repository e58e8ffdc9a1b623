package io.tally.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a rollup worker has counted, per partition of the topic: the next offset to read, and per ingest node the
 * highest journal index counted (a record at or below it is one the node sent again after a restart). Written into
 * the rollups' checkpoint, in the same atomic file as the figures, so figures and positions never disagree; the
 * repeat marks of a partition also travel with the offset a worker commits to Kafka, for whoever is given the
 * partition next.
 */
final class WorkerPositions
{
    /** Ingest nodes remembered per partition; a cluster has a handful. Past it a node's repeats are not recognised. */
    static final int MAX_NODES = 256;
    private static final int VERSION = 1;

    private final Map<Integer, Long> offsets = new TreeMap<>();
    private final Map<Integer, Map<String, Long>> counted = new HashMap<>();
    private long nodesRefused;

    /** Whether {@code partition} already counted what {@code node} journaled at {@code index}. */
    boolean isRepeat(final int partition, final String node, final long index)
    {
        final Map<String, Long> nodes = counted.get(partition);
        final Long last = nodes == null ? null : nodes.get(node);
        return last != null && index <= last;
    }

    /** Notes that {@code partition} counted {@code node}'s record {@code index}. */
    void counted(final int partition, final String node, final long index)
    {
        final Map<String, Long> nodes = counted.computeIfAbsent(partition, p -> new HashMap<>());
        if (nodes.size() >= MAX_NODES && !nodes.containsKey(node))
        {
            nodesRefused++;
            return;
        }
        nodes.merge(node, index, Math::max);
    }

    /** Ingest nodes not remembered because a partition already had {@link #MAX_NODES}. */
    long nodesRefused()
    {
        return nodesRefused;
    }

    void offset(final int partition, final long next)
    {
        offsets.put(partition, next);
    }

    /** The next offset to read in {@code partition}, or -1 when this worker has counted none of it. */
    long offset(final int partition)
    {
        return offsets.getOrDefault(partition, -1L);
    }

    Map<Integer, Long> offsets()
    {
        return Map.copyOf(offsets);
    }

    /** The repeat marks of one partition as text, for the metadata of a committed Kafka offset. */
    String metadata(final int partition)
    {
        final StringBuilder text = new StringBuilder();
        counted.getOrDefault(partition, Map.of()).forEach((node, index) ->
            text.append(text.length() == 0 ? "" : ",").append(node).append('=').append(index));
        return text.toString();
    }

    /** Takes over a partition from the offset another worker committed, with the repeat marks it committed. */
    void adopt(final int partition, final long offset, final String metadata)
    {
        offsets.put(partition, offset);
        final Map<String, Long> nodes = new HashMap<>();
        if (metadata != null && !metadata.isEmpty())
        {
            for (final String pair : metadata.split(","))
            {
                final int equals = pair.indexOf('=');
                if (equals > 0)
                {
                    nodes.put(pair.substring(0, equals), Long.parseLong(pair.substring(equals + 1)));
                }
            }
        }
        counted.put(partition, nodes);
    }

    byte[] encode()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(VERSION);
            out.writeInt(offsets.size());
            for (final Map.Entry<Integer, Long> entry : offsets.entrySet())
            {
                out.writeInt(entry.getKey());
                out.writeLong(entry.getValue());
                final Map<String, Long> nodes = counted.getOrDefault(entry.getKey(), Map.of());
                out.writeInt(nodes.size());
                for (final Map.Entry<String, Long> node : nodes.entrySet())
                {
                    out.writeUTF(node.getKey());
                    out.writeLong(node.getValue());
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /** The positions a checkpoint holds; none for an empty one (a fresh worker). */
    static WorkerPositions decode(final byte[] encoded)
    {
        final WorkerPositions positions = new WorkerPositions();
        if (encoded.length == 0)
        {
            return positions;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded)))
        {
            if (in.readInt() != VERSION)
            {
                throw new IOException("unknown layout");
            }
            for (int n = in.readInt(); n > 0; n--)
            {
                final int partition = in.readInt();
                positions.offsets.put(partition, in.readLong());
                final Map<String, Long> nodes = new HashMap<>();
                for (int m = in.readInt(); m > 0; m--)
                {
                    nodes.put(in.readUTF(), in.readLong());
                }
                positions.counted.put(partition, nodes);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("the rollup checkpoint's Kafka positions cannot be read: " + ex.getMessage(), ex);
        }
        return positions;
    }
}
