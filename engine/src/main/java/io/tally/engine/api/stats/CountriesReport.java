package io.tally.engine.api.stats;

import io.tally.engine.geo.GeoIp;
import io.tally.engine.geo.GeoIpDatabase;
import io.tally.store.rollup.AudienceRow;
import io.tally.store.rollup.RangeTotals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/stats/{site}/countries}: visitors, pageviews and conversions by the visitors' country, most
 * visitors first, with the visitors whose country is unknown apart, and which GeoIP database the engine looks up
 * (without one, {@code "geoip": {"loaded": false, "detail": ...}}: the figures of days counted with a database
 * still show, everything since is unknown).
 */
final class CountriesReport
{
    static final String NO_DATABASE = "no GeoIP database is loaded: start the engine with --geoip-db FILE " +
        "(a GeoLite2 or DB-IP country database); until then every visitor's country is unknown";

    private final GeoIp geoIp;

    CountriesReport(final GeoIp geoIp)
    {
        this.geoIp = geoIp;
    }

    void answer(final Map<String, Object> body, final RangeTotals totals)
    {
        body.put("geoip", database());
        final List<Object> rows = new ArrayList<>();
        Map<String, Object> unknown = row(null, null);
        for (final Map.Entry<String, AudienceRow> entry : totals.countries().entrySet())
        {
            if (entry.getKey() == null)
            {
                unknown = row(null, entry.getValue());
            }
            else
            {
                rows.add(row(entry.getKey(), entry.getValue()));
            }
        }
        body.put("countries", rows);
        body.put("unknown", unknown);
    }

    Map<String, Object> database()
    {
        final GeoIpDatabase database = geoIp.database();
        final Map<String, Object> status = new LinkedHashMap<>();
        status.put("loaded", database != null);
        if (database == null)
        {
            status.put("detail", NO_DATABASE);
        }
        else
        {
            status.put("type", database.type());
            status.put("build_date", database.buildTime().toString());
        }
        return status;
    }

    /** A country's row ({@code code} null: the unknown ones, without a code); a null row is all zeros. */
    private static Map<String, Object> row(final String code, final AudienceRow figures)
    {
        final Map<String, Object> row = new LinkedHashMap<>();
        if (code != null)
        {
            row.put("country", code);
        }
        final long visitors = figures == null ? 0 : figures.visitors();
        row.put("visitors", visitors);
        row.put("pageviews", figures == null ? 0 : figures.pageviews());
        row.put("conversions", figures == null ? 0 : figures.conversions());
        row.put("converting_visitors", figures == null ? 0 : figures.convertingVisitors());
        row.put("conversion_rate", StatsApi.percent(figures == null ? 0 : figures.convertingVisitors(), visitors));
        return row;
    }
}
