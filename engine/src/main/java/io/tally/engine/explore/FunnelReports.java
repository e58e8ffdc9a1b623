package io.tally.engine.explore;

import java.util.Map;

/**
 * Funnel figures over the event store, which the engine does not hold: ops connects an implementation (module
 * {@code explore}) through {@link Explorations#connect}. Blocking: called on the API's cold pool only.
 */
public interface FunnelReports
{
    /** Checks a step's {@code filters}; throws {@link IllegalArgumentException} saying what is wrong. */
    void checkFilters(String filters);

    /**
     * The figures of {@code funnel} over {@code site}'s events with a time in {@code [fromMillis, toMillis)}: the
     * fields of the answer ({@code steps}, and {@code breakdown} with {@code breakdown} not null).
     *
     * @throws IllegalArgumentException when a step's filters or the breakdown cannot be used (a 400).
     */
    Map<String, Object> funnel(String site, Funnel funnel, long fromMillis, long toMillis, String breakdown);
}
