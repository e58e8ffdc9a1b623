package io.tally.engine.metrics;

import io.tally.engine.geo.GeoIp;
import io.tally.engine.limit.Limiters;
import io.tally.engine.limit.Quotas;
import io.tally.engine.site.Site;
import io.tally.store.Journal;
import io.tally.store.rollup.Rollups;
import io.tally.store.state.FreeSpace;
import io.tally.store.state.StateFiles;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What the reports about the whole engine ({@code /healthz}, {@code /metrics}) read, each at the moment it is
 * asked: handed to them when the server is made, so they see these parts and nothing else of the engine.
 *
 * @param draining         whether the engine is shutting down.
 * @param journalDiskBytes bytes of the journal's files at the last measure (every 10 s).
 * @param rollupDiskBytes  bytes of the rollups' segment files at the last measure (every 10 s).
 * @param parts            the agents and metric sources beside the engine's own figures.
 * @param geoIp            the GeoIP database in use, with its lookups and reloads.
 * @param sites            the sites now (they change live).
 */
public record EngineReadings(BooleanSupplier draining, Journal journal, Rollups rollups, IngestCounters counters,
    RequestMetrics requestMetrics, Limiters limiters, Quotas quotas, Supplier<List<Site>> sites, FreeSpace freeSpace,
    LongSupplier journalDiskBytes, LongSupplier rollupDiskBytes, StateFiles stateFiles, Untracked untracked,
    ReportedParts parts, LongSupplier clock, GeoIp geoIp)
{
    /**
     * What the ingest path's bounded tables let through without keeping, once full: events whose session,
     * first conversion or idempotency key was not remembered.
     */
    public record Untracked(LongSupplier sessions, LongSupplier conversions, LongSupplier idempotencyKeys)
    {
    }
}
