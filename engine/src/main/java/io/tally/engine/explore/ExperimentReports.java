package io.tally.engine.explore;

import java.util.Map;

/**
 * Experiment figures over the event store, which the engine does not hold: ops connects an implementation (module
 * {@code explore}) through {@link Explorations#connect}. Blocking: called on the API's cold pool only.
 */
public interface ExperimentReports
{
    /** The figures of {@code experiment} over {@code site}'s events with a time in {@code [fromMillis, toMillis)}. */
    Map<String, Object> experiment(String site, Experiment experiment, long fromMillis, long toMillis);
}
