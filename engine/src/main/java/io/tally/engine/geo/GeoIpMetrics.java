package io.tally.engine.geo;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tally.engine.metrics.MetricSource;

import static io.tally.engine.metrics.MetricFamilies.counter;
import static io.tally.engine.metrics.MetricFamilies.counterPoint;
import static io.tally.engine.metrics.MetricFamilies.counters;
import static io.tally.engine.metrics.MetricFamilies.gaugePoint;
import static io.tally.engine.metrics.MetricFamilies.gauges;

/** The GeoIP families in {@code /metrics}: the database in use (as labels of an info gauge), lookups, misses, reloads. */
public final class GeoIpMetrics implements MetricSource
{
    private final GeoIp geoIp;

    public GeoIpMetrics(final GeoIp geoIp)
    {
        this.geoIp = geoIp;
    }

    @Override
    public void addTo(final MetricSnapshots.Builder all)
    {
        final GeoIpDatabase database = geoIp.database();
        final var info = gauges("tally_geoip_database_info",
            "the GeoIP database in use (1), by path, type and build date; no point without one");
        final var built = gauges("tally_geoip_database_build_timestamp_seconds", "when the GeoIP database in use was built");
        if (database != null)
        {
            info.dataPoint(gaugePoint(Labels.of("path", database.path().toString(), "type", database.type(),
                "build_date", database.buildTime().toString()), 1));
            built.dataPoint(gaugePoint(Labels.EMPTY, database.buildTime().getEpochSecond()));
        }
        all.metricSnapshot(info.build()).metricSnapshot(built.build());
        all.metricSnapshot(counter("tally_geoip_lookups", "events whose client address was looked up", geoIp.lookups()));
        all.metricSnapshot(counter("tally_geoip_misses", "lookups that found no country (counted as unknown)",
            geoIp.misses()));
        all.metricSnapshot(counter("tally_geoip_database_reads",
            "lookups the per-thread caches did not answer, read from the database", geoIp.databaseReads()));
        all.metricSnapshot(counter("tally_geoip_errors", "lookups the database could not decode (counted as unknown)",
            geoIp.errors()));
        all.metricSnapshot(counters("tally_geoip_reloads", "GeoIP database reloads (SIGHUP or the admin API), by outcome")
            .dataPoint(counterPoint(Labels.of("outcome", "loaded"), geoIp.reloads()))
            .dataPoint(counterPoint(Labels.of("outcome", "refused"), geoIp.failedReloads())).build());
    }
}
