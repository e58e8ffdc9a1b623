package io.tally.engine.metrics;

import io.tally.store.agent.SupervisedAgent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the whole-engine reports cover besides the engine's own figures: background agents by name
 * ({@code /healthz} shows their state, {@code /metrics} their restarts) and metric sources ({@code /metrics} adds
 * their families). The engine adds its own agents; whoever composes a part beside the engine adds that part's,
 * before the server starts. Parts are added a few times at start and read at every report, so each addition
 * replaces an immutable copy that readers take without a lock.
 */
public final class ReportedParts
{
    private volatile Map<String, SupervisedAgent> agents = Map.of();
    private volatile List<MetricSource> metricSources = List.of();
    private volatile Map<String, Supplier<Map<String, Object>>> healthSections = Map.of();

    /** Reports {@code agent} under {@code name}, after the agents added before it. */
    public synchronized void addAgent(final String name, final SupervisedAgent agent)
    {
        if (agents.containsKey(name))
        {
            throw new IllegalArgumentException("an agent named '" + name + "' is reported already");
        }
        final Map<String, SupervisedAgent> more = new LinkedHashMap<>(agents);
        more.put(name, agent);
        agents = Collections.unmodifiableMap(more);
    }

    /** Adds {@code source}'s families to every scrape from now on. */
    public synchronized void addMetrics(final MetricSource source)
    {
        final List<MetricSource> more = new ArrayList<>(metricSources);
        more.add(source);
        metricSources = List.copyOf(more);
    }

    /** Adds {@code section}'s figures to every {@code /healthz} answer, under {@code name}, after the engine's own. */
    public synchronized void addHealth(final String name, final Supplier<Map<String, Object>> section)
    {
        final Map<String, Supplier<Map<String, Object>>> more = new LinkedHashMap<>(healthSections);
        more.put(name, section);
        healthSections = Collections.unmodifiableMap(more);
    }

    /** The sections parts beside the engine add to {@code /healthz}, by name, in the order they were added. */
    public Map<String, Supplier<Map<String, Object>>> healthSections()
    {
        return healthSections;
    }

    /** The background agents by name, in the order they were added. */
    public Map<String, SupervisedAgent> agents()
    {
        return agents;
    }

    public List<MetricSource> metricSources()
    {
        return metricSources;
    }
}
