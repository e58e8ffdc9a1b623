package io.tally.engine.api.stats;

import io.tally.store.rollup.AudienceTotals;
import io.tally.store.rollup.RangeTotals;
import io.tally.store.rollup.day.CellKind;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code browsers}, {@code operating_systems} and {@code devices} reports: a row per browser (or system, or
 * device class) with its visitors, pageviews and conversions, most visitors first; browsers and systems with their
 * versions' rows too. Robots' events are never counted (the rollups leave them out).
 */
final class AudienceReports
{
    /** The reports, each with its row label and {@code AUDIENCE} dimension. */
    static final Map<String, String> LABELS = Map.of("browsers", "browser", "operating_systems", "os", "devices", "device");

    private AudienceReports()
    {
    }

    /** Puts the report's rows into {@code body} under the report's name. */
    static void answer(final Map<String, Object> body, final String report, final RangeTotals totals)
    {
        final int dimension = switch (report)
        {
            case "browsers" -> CellKind.BROWSER;
            case "operating_systems" -> CellKind.OPERATING_SYSTEM;
            default -> CellKind.DEVICE;
        };
        final AudienceTotals audience = totals.audience();
        final List<Object> rows = new ArrayList<>();
        for (final Map.Entry<String, long[]> name : sorted(audience.byName(dimension)))
        {
            final Map<String, Object> row = row(LABELS.get(report), name.getKey(), name.getValue());
            if (dimension != CellKind.DEVICE)
            {
                final List<Object> versions = new ArrayList<>();
                for (final Map.Entry<String, long[]> version : sorted(audience.byVersion(dimension).get(name.getKey())))
                {
                    versions.add(row("version", version.getKey(), version.getValue()));
                }
                row.put("versions", versions);
            }
            rows.add(row);
        }
        body.put(report, rows);
    }

    private static Map<String, Object> row(final String label, final String value, final long[] figures)
    {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put(label, value);
        row.put("visitors", figures[AudienceTotals.VISITORS]);
        row.put("pageviews", figures[AudienceTotals.PAGEVIEWS]);
        row.put("conversions", figures[AudienceTotals.CONVERSIONS]);
        return row;
    }

    /** Most visitors first, then by name: the same order every time. */
    private static List<Map.Entry<String, long[]>> sorted(final Map<String, long[]> rows)
    {
        final List<Map.Entry<String, long[]>> entries = new ArrayList<>(rows.entrySet());
        entries.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[AudienceTotals.VISITORS])
            .thenComparing(Map.Entry::getKey));
        return entries;
    }
}
