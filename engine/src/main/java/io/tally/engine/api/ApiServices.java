package io.tally.engine.api;

import io.tally.engine.api.export.EventExports;
import io.tally.engine.api.stats.FilteredRequests;
import io.tally.engine.explore.Explorations;
import io.tally.engine.config.LiveSites;
import io.tally.engine.backup.EngineBackup;
import io.tally.engine.geo.GeoIp;
import io.tally.engine.limit.Limiters;
import io.tally.engine.limit.Quotas;
import io.tally.engine.site.GoalBook;
import io.tally.engine.site.ShareLinks;
import io.tally.engine.site.SiteDirectory;
import io.tally.engine.site.SiteTokens;
import io.tally.store.Journal;
import io.tally.store.rollup.Rollups;

import java.util.function.LongSupplier;

/**
 * What the admin, stats and limits API uses of the engine, handed in when the server is made: the API sees
 * these and nothing else.
 *
 * @param rollups the figures the stats API reads; kept by a background agent, possibly a few milliseconds behind.
 * @param journal read by the stats API for the newest sessions, event by event.
 * @param shares share links: each reads one site's stats without a token.
 * @param geoIp   the GeoIP database: the countries report says which, the admin API reloads it.
 * @param filtered reports under {@code filters} (the event store's, when it runs), and their counters.
 * @param explorations funnels and experiments: their definitions, and the reports ops connects from the event store.
 * @param eventExports the event store's exports, once a store runs beside the engine.
 * @param backfill     evaluates a goal over the journaled events.
 * @param liveSites the sites, which the admin API lists, adds and removes.
 * @param backup  copies the engine's state for a restore.
 */
public record ApiServices(GoalBook goals, AdminToken adminToken, SiteDirectory sites, SiteTokens siteTokens,
    Limiters limiters, Quotas quotas, Rollups rollups, Journal journal, LongSupplier clock,
    ShareLinks shares, GeoIp geoIp, FilteredRequests filtered, Explorations explorations, EventExports eventExports,
    io.tally.engine.backfill.GoalBackfill backfill, LiveSites liveSites,
    EngineBackup backup)
{
}
