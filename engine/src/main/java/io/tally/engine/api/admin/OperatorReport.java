package io.tally.engine.api.admin;

import io.tally.codec.json.Json;
import io.tally.engine.api.request.Answer;
import io.tally.engine.limit.Quotas;
import io.tally.engine.metrics.EngineReadings;
import io.tally.engine.metrics.RollupLag;
import io.tally.engine.site.Site;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/operator} (admin token): what the dashboard's operator view shows, in one answer read at the
 * moment it is asked: {@code /healthz}'s report (answers by code, the disk, agents, the notifier's backlog), the
 * rate limiter with its most limited addresses, every site's events this month against its quota, how far the
 * rollups are behind the journal, and the clock and journal index the page turns into an ingest rate between two
 * readings. A cold path, off the event loop.
 */
final class OperatorReport
{
    private final EngineReadings readings;

    OperatorReport(final EngineReadings readings)
    {
        this.readings = readings;
    }

    Answer answer()
    {
        final long now = readings.clock().getAsLong();
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", now);
        body.put("journal_appends", readings.counters().journalAppends());
        body.put("health", HealthReport.of(readings));
        body.put("limits", LimitsApi.describe(readings.limiters()));
        final List<Object> usage = new ArrayList<>();
        for (final Site site : readings.sites().get())
        {
            final Quotas.SiteUsage used = readings.quotas().usage(site.domain(), now);
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("site", used.site());
            row.put("month", used.month().toString());
            row.put("events", used.used());
            row.put("quota", used.quota() > 0 ? used.quota() : null);
            row.put("resets_at", Instant.ofEpochMilli(used.resetsAtMillis()).toString());
            usage.add(row);
        }
        body.put("usage", usage);
        final RollupLag lag = RollupLag.of(readings.journal(), readings.rollups(), readings.clock());
        final Map<String, Object> rollups = new LinkedHashMap<>();
        rollups.put("lag_events", lag.events());
        rollups.put("lag_seconds", lag.seconds());
        body.put("rollups", rollups);
        return new Answer(200, Json.write(body));
    }
}
