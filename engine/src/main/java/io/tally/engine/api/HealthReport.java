package io.tally.engine.api;

import io.tally.engine.Engine;
import io.tally.store.agent.SupervisedAgent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engine's health as {@code /healthz} shows it, read from the parts at the moment it is asked. */
public final class HealthReport
{
    private HealthReport()
    {
    }

    /**
     * What {@code /healthz} shows: state (ok, degraded with the problems, draining), journal position, answers by
     * code, what the bounds refused, the disk, the background agents and the state files set aside.
     */
    public static Map<String, Object> of(final Engine engine)
    {
        final List<String> problems = problems(engine);
        final Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", engine.isDraining() ? "draining" : problems.isEmpty() ? "ok" : "degraded");
        if (!problems.isEmpty())
        {
            status.put("problems", problems);
        }
        status.put("journal_index", engine.journal().lastIndex());
        status.put("answers", engine.counters().nonZeroByCode());
        status.put("dropped_props", engine.counters().droppedProperties());
        status.put("rejected_connections", engine.counters().rejectedConnections());
        status.put("limiter", LimitsApi.counts(engine.rateLimiter()));
        status.put("sessions_untracked", engine.sessions().untrackedCount());
        status.put("conversions_untracked", engine.conversions().untrackedCount());
        status.put("idempotency_keys_untracked", engine.idempotencyKeys().untrackedCount());
        status.put("rollup_unreadable_records", engine.rollupUnreadableCount());
        final Map<String, Object> disk = new LinkedHashMap<>();
        disk.put("free_bytes", engine.freeSpace().freeBytes());
        disk.put("reserve_bytes", engine.freeSpace().reserveBytes());
        disk.put("low", engine.freeSpace().isLow());
        disk.put("journal_bytes", engine.journalBytes());
        disk.put("rollup_bytes", engine.rollupBytes());
        status.put("disk", disk);
        final Map<String, Object> agentStates = new LinkedHashMap<>();
        engine.agents().forEach((name, agent) -> agentStates.put(name, agentStatus(agent)));
        status.put("agents", agentStates);
        final List<Object> setAside = new ArrayList<>();
        engine.stateFiles().setAside().forEach(file -> setAside.add(Map.of("file", file.file(), "moved_to", file.movedTo(),
            "reason", file.reason(), "at", file.at().toString())));
        status.put("set_aside", setAside);
        return status;
    }

    private static List<String> problems(final Engine engine)
    {
        final List<String> problems = new ArrayList<>();
        if (engine.freeSpace().isLow())
        {
            problems.add("the disk is nearly full: events are refused until " + engine.freeSpace().requiredBytes() +
                " bytes are free on " + engine.freeSpace().directory() + " (" + engine.freeSpace().freeBytes() + " now)");
        }
        engine.agents().forEach((name, agent) ->
        {
            if (agent.state() == SupervisedAgent.State.BACKING_OFF)
            {
                problems.add("the " + name + " agent failed and restarts: " + agent.lastError());
            }
        });
        return problems;
    }

    private static Map<String, Object> agentStatus(final SupervisedAgent agent)
    {
        final Map<String, Object> status = new LinkedHashMap<>();
        status.put("state", agent.state().name().toLowerCase(java.util.Locale.ROOT));
        status.put("restarts", agent.restarts());
        if (agent.lastError() != null)
        {
            status.put("last_error", agent.lastError());
        }
        return status;
    }

}
