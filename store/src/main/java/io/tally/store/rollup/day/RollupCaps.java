package io.tally.store.rollup.day;

import java.util.Map;
import java.util.function.Function;

/**
 * The bounds that keep one site's hour of rollups from growing with whatever beacons send (anyone can send
 * one): past each, a new distinct text counts under {@link #OTHER}, so totals are never lost, only grouped.
 */
public final class RollupCaps
{
    /** Distinct event names a site keeps per hour. */
    public static final int MAX_NAMES_PER_HOUR = 1_000;
    /** Distinct property keys an event name keeps per hour. */
    public static final int MAX_KEYS_PER_NAME = 100;
    /** Distinct values a property key keeps per hour; the same for sources, entry pages, labels, actions, categories. */
    public static final int MAX_VALUES_PER_KEY = 1_000;
    /** What the texts past a cap count under. */
    public static final String OTHER = "(other)";

    private RollupCaps()
    {
    }

    /**
     * The entry of {@code key}, made by {@code make} when new; once {@code map} holds {@code max} entries a new key
     * gets {@link #OTHER}'s entry instead. Allocates nothing for a key already there.
     */
    public static <V> V capped(final Map<String, V> map, final String key, final int max, final Function<String, V> make)
    {
        final V existing = map.get(key);
        return existing != null ? existing : map.computeIfAbsent(map.size() < max ? key : OTHER, make);
    }
}
