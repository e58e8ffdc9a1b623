package io.tally.store.rollup;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One event name in one hour: its events and visitors, and per property key the values with theirs. A name
 * keeps at most {@link RollupCaps#MAX_KEYS_PER_NAME} keys an hour and each key at most
 * {@link RollupCaps#MAX_VALUES_PER_KEY} values; later new values count under the value {@link RollupCaps#OTHER},
 * events with later new keys under the key and value {@code (other)}, so neither can exhaust memory.
 */
final class NameRollup
{
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

    /**
     * Counts one property of an event; false, counting nothing, when its key is new and the name already has
     * {@link RollupCaps#MAX_KEYS_PER_NAME} keys: the caller then counts the event once with {@link #addOtherKey}.
     */
    boolean addProperty(final String key, final String value, final int visitor)
    {
        Map<String, ValueRollup> values = properties.get(key);
        if (values == null)
        {
            if (properties.size() >= RollupCaps.MAX_KEYS_PER_NAME)
            {
                return false;
            }
            values = new HashMap<>();
            properties.put(key, values);
        }
        RollupCaps.capped(values, value, RollupCaps.MAX_VALUES_PER_KEY, v -> new ValueRollup()).add(visitor);
        return true;
    }

    /** Counts an event that carried keys past the cap, once however many, under key and value {@code (other)}. */
    void addOtherKey(final int visitor)
    {
        properties.computeIfAbsent(RollupCaps.OTHER, k -> new HashMap<>())
            .computeIfAbsent(RollupCaps.OTHER, v -> new ValueRollup()).add(visitor);
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
