package io.tally.engine.ingest;

import io.tally.engine.audience.Screening;
import io.tally.engine.geo.GeoIp;
import io.tally.engine.identity.DailySalt;
import io.tally.engine.limit.Quotas;
import io.tally.engine.metrics.IngestCounters;
import io.tally.engine.site.GoalBook;
import io.tally.engine.site.SiteDirectory;
import io.tally.store.state.FreeSpace;

import java.util.function.LongSupplier;

/**
 * What the per-event path shares across I/O threads, handed to each {@link EventIngestor} when it is made: the
 * ingest layer sees these and nothing else of the engine.
 *
 * @param maxBody   the largest beacon body, which sizes each ingestor's record buffer.
 * @param screening the User-Agents' audiences and the robots kept out.
 * @param geoIp     the GeoIP database the client's country is looked up in (through each ingestor's cache).
 */
public record IngestServices(SiteDirectory sites, GoalBook goals, DailySalt salt, SessionTracker sessions,
    ConversionTracker conversions, IdempotencyKeys idempotencyKeys, Quotas quotas, IngestCounters counters,
    FreeSpace freeSpace, LongSupplier clock, int maxBody, Screening screening, GeoIp geoIp)
{
}
