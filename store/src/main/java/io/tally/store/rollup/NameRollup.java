package io.tally.store.rollup;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One event name in one hour: its events and visitors, and per property key the values with theirs. Each key
 * keeps at most {@link #MAX_VALUES_PER_KEY} distinct values an hour; later new values count under
 * {@link #OTHER}, so a high-cardinality key cannot exhaust memory.
 */
final class NameRollup
{
    static final int MAX_VALUES_PER_KEY = 1000;
    static final String OTHER = "(other)";

    final ValueRollup total;
    final Map<String, Map<String, ValueRollup>> properties;

    NameRollup()
    {
        this(new ValueRollup(), new HashMap<>());
    }

    private NameRollup(final ValueRollup total, final Map<String, Map<String, ValueRollup>> properties)
    {
        this.total = total;
        this.properties = properties;
    }

    void addProperty(final String key, final String value, final int visitor)
    {
        final Map<String, ValueRollup> values = properties.computeIfAbsent(key, k -> new HashMap<>());
        ValueRollup rollup = values.get(value);
        if (rollup == null)
        {
            rollup = values.computeIfAbsent(values.size() < MAX_VALUES_PER_KEY ? value : OTHER, v -> new ValueRollup());
        }
        rollup.add(visitor);
    }

    void addAll(final NameRollup other)
    {
        total.addAll(other.total);
        other.properties.forEach((key, values) -> values.forEach((value, counts) -> properties
            .computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(value, v -> new ValueRollup()).addAll(counts)));
    }

    void write(final DataOutput out) throws IOException
    {
        total.write(out);
        out.writeInt(properties.size());
        for (final Map.Entry<String, Map<String, ValueRollup>> key : properties.entrySet())
        {
            out.writeUTF(key.getKey());
            out.writeInt(key.getValue().size());
            for (final Map.Entry<String, ValueRollup> value : key.getValue().entrySet())
            {
                out.writeUTF(value.getKey());
                value.getValue().write(out);
            }
        }
    }

    static NameRollup read(final DataInput in) throws IOException
    {
        final ValueRollup total = ValueRollup.read(in);
        final Map<String, Map<String, ValueRollup>> properties = new HashMap<>();
        for (int k = in.readInt(); k > 0; k--)
        {
            final String key = in.readUTF();
            final Map<String, ValueRollup> values = new HashMap<>();
            for (int v = in.readInt(); v > 0; v--)
            {
                values.put(in.readUTF(), ValueRollup.read(in));
            }
            properties.put(key, values);
        }
        return new NameRollup(total, properties);
    }
}
