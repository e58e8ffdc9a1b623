package io.tally.store.rollup;

import io.tally.codec.EventRecord;
import io.tally.codec.Enrichment;
import io.tally.store.rollup.day.CellKind;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The audience of the random events of {@link RollupsTest}, derived from each event's visitor and session as the
 * engine would have classified its User-Agent: browser, system and device by visitor, versions by session (so a
 * visitor may show two versions of one browser in a day), some visitors robots (kept flagged, as --keep-bots
 * journals them); and the brute-force check of the audience figures.
 */
final class TestAudience
{
    private static final String[] BROWSERS = {"Chrome", "Firefox", "Safari", ""};
    private static final String[] OSES = {"Windows", "iOS", "Android", ""};
    private static final String[] VERSIONS = {"120", "121", ""};
    private static final String[] DEVICES = {"(unknown)", "desktop", "mobile", "tablet", "other"};

    private TestAudience()
    {
    }

    private static int mix(final long id, final int salt)
    {
        return (int)(((id ^ salt * 0x632BE59BD9B4E019L) * 0x9E3779B97F4A7C15L) >>> 40) & 0xFFFF;
    }

    /**
     * Whether the event has an audience: those of {@link RollupsTest#randomEvents} (64-bit visitor ids) do; the few
     * made by hand with small ids (the caps' tests) have none, and are no robots.
     */
    private static boolean derived(final RollupsTest.Event e)
    {
        return Math.abs(e.visitor()) > 1L << 32;
    }

    /** About one visitor in twelve is a robot, all of whose events are kept flagged. */
    static int robot(final RollupsTest.Event e)
    {
        return derived(e) && mix(e.visitor(), 5) % 12 == 0 ? 1 + mix(e.visitor(), 6) % 3 : EventRecord.ROBOT_NONE;
    }

    static boolean isRobot(final RollupsTest.Event e)
    {
        return robot(e) != EventRecord.ROBOT_NONE;
    }

    private static String browser(final RollupsTest.Event e)
    {
        return !derived(e) ? "" : BROWSERS[mix(e.visitor(), 1) % BROWSERS.length];
    }

    private static String os(final RollupsTest.Event e)
    {
        return !derived(e) ? "" : OSES[mix(e.visitor(), 2) % OSES.length];
    }

    private static String version(final RollupsTest.Event e, final int salt)
    {
        return !derived(e) ? "" : VERSIONS[mix(e.session(), salt) % VERSIONS.length];
    }

    private static int device(final RollupsTest.Event e)
    {
        return !derived(e) ? 0 : mix(e.visitor(), 4) % DEVICES.length;
    }

    private static byte[] bytes(final String text)
    {
        return text.isEmpty() ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** Adds the event's audience and robot reason to what the engine journals. */
    static void enrich(final RollupsTest.Event e, final Enrichment enrichment)
    {
        enrichment.audience(bytes(browser(e)), bytes(version(e, 7)), bytes(os(e)), bytes(version(e, 8)), device(e))
            .robot(robot(e));
    }

    /** The browsers, systems and devices of {@code events} (a range's, robots left out) against the rollups'. */
    static void assertSameFigures(final List<RollupsTest.Event> events, final AudienceTotals totals, final String where)
    {
        assertDimension(events, totals, CellKind.BROWSER, TestAudience::browser, e -> version(e, 7), where);
        assertDimension(events, totals, CellKind.OPERATING_SYSTEM, TestAudience::os, e -> version(e, 8), where);
        assertDimension(events, totals, CellKind.DEVICE, e -> DEVICES[device(e)], e -> "", where);
    }

    private static void assertDimension(final List<RollupsTest.Event> events, final AudienceTotals totals, final int dimension,
        final Function<RollupsTest.Event, String> name, final Function<RollupsTest.Event, String> version, final String where)
    {
        final Map<String, long[]> byName = new HashMap<>();
        final Map<String, Map<String, long[]>> byVersion = new HashMap<>();
        final Map<String, List<RollupsTest.Event>> grouped = new HashMap<>();
        for (final RollupsTest.Event e : events)
        {
            final String label = name.apply(e).isEmpty() ? "(unknown)" : name.apply(e);
            grouped.computeIfAbsent(label, n -> new java.util.ArrayList<>()).add(e);
        }
        grouped.forEach((label, named) ->
        {
            byName.put(label, figures(named));
            final Map<String, List<RollupsTest.Event>> versions = new HashMap<>();
            named.forEach(e -> versions.computeIfAbsent(version.apply(e), v -> new java.util.ArrayList<>()).add(e));
            final Map<String, long[]> rows = new HashMap<>();
            versions.forEach((v, list) -> rows.put(v, figures(list)));
            byVersion.put(label, rows);
        });
        assertEquals(text(byName), text(totals.byName(dimension)), "dimension " + dimension + " by name " + where);
        final Map<String, Map<String, String>> expected = new HashMap<>();
        byVersion.forEach((n, rows) -> expected.put(n, text(rows)));
        final Map<String, Map<String, String>> actual = new HashMap<>();
        totals.byVersion(dimension).forEach((n, rows) -> actual.put(n, text(rows)));
        assertEquals(expected, actual, "dimension " + dimension + " by version " + where);
    }

    /** pageviews, conversions, visitors. */
    private static long[] figures(final List<RollupsTest.Event> events)
    {
        return new long[] {events.stream().filter(e -> e.type().equals("p")).count(),
            events.stream().filter(RollupsTest.Event::conversion).count(),
            events.stream().map(RollupsTest.Event::visitor).distinct().count()};
    }

    private static Map<String, String> text(final Map<String, long[]> rows)
    {
        final Map<String, String> text = new java.util.TreeMap<>();
        rows.forEach((k, v) -> text.put(k, java.util.Arrays.toString(v)));
        return text;
    }
}
