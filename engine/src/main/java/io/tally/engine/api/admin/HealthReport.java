package io.tally.engine.api.admin;

import io.tally.engine.metrics.EngineReadings;
import io.tally.store.agent.SupervisedAgent;
import io.tally.store.state.FreeSpace;

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
    public static Map<String, Object> of(final EngineReadings readings)
    {
        final List<String> problems = problems(readings);
        final Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", readings.draining().getAsBoolean() ? "draining" : problems.isEmpty() ? "ok" : "degraded");
        if (!problems.isEmpty())
        {
            status.put("problems", problems);
        }
        status.put("journal_index", readings.journal().lastIndex());
        status.put("answers", readings.counters().nonZeroByCode());
        status.put("dropped_props", readings.counters().droppedProperties());
        status.put("dropped_fields", readings.counters().nonZeroDropped());
        status.put("rejected_connections", readings.counters().rejectedConnections());
        status.put("limiter", LimitsApi.counts(readings.limiters().defaultLimiter()));
        status.put("sessions_untracked", readings.untracked().sessions().getAsLong());
        status.put("conversions_untracked", readings.untracked().conversions().getAsLong());
        status.put("idempotency_keys_untracked", readings.untracked().idempotencyKeys().getAsLong());
        status.put("rollup_unreadable_records", readings.rollups().unreadableCount());
        status.put("disk", disk(readings));
        status.put("geoip", readings.geoIp().status());
        final Map<String, Object> agentStates = new LinkedHashMap<>();
        readings.parts().agents().forEach((name, agent) -> agentStates.put(name, agentStatus(agent)));
        status.put("agents", agentStates);
        final List<Object> setAside = new ArrayList<>();
        readings.stateFiles().setAside().forEach(file -> setAside.add(Map.of("file", file.file(), "moved_to", file.movedTo(),
            "reason", file.reason(), "at", file.at().toString())));
        status.put("set_aside", setAside);
        readings.parts().healthSections().forEach((name, section) -> status.put(name, section.get()));
        return status;
    }

    /** The free space against the reserve, and what the journal and the rollups take of it. */
    private static Map<String, Object> disk(final EngineReadings readings)
    {
        final FreeSpace freeSpace = readings.freeSpace();
        final Map<String, Object> disk = new LinkedHashMap<>();
        disk.put("free_bytes", freeSpace.freeBytes());
        disk.put("reserve_bytes", freeSpace.reserveBytes());
        disk.put("low", freeSpace.isLow());
        disk.put("journal_bytes", readings.journalDiskBytes().getAsLong());
        disk.put("rollup_bytes", readings.rollupDiskBytes().getAsLong());
        return disk;
    }

    private static List<String> problems(final EngineReadings readings)
    {
        final List<String> problems = new ArrayList<>();
        if (readings.freeSpace().isLow())
        {
            problems.add("the disk is nearly full: events are refused until " + readings.freeSpace().requiredBytes() +
                " bytes are free on " + readings.freeSpace().directory() + " (" + readings.freeSpace().freeBytes() + " now)");
        }
        readings.parts().agents().forEach((name, agent) ->
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
