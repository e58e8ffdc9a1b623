package io.tally.testing;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures of the stats API counted the slow, obvious way from the journal as {@code tally journal dump}
 * prints it: what the rollups must equal, whatever happened to them (restarts, damaged checkpoints, a full disk,
 * SIGKILL). Visitors and sessions are distinct per UTC day and added up over days, as the rollups define them.
 */
public final class JournalOracle
{
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private JournalOracle()
    {
    }

    /** visitors, pageviews, events and sessions of {@code site} for events that happened in [from, to). */
    public static Map<String, Long> kpis(final List<Map<String, Object>> records, final String site, final long fromMillis,
        final long toMillis)
    {
        final Map<Long, Set<Object>> visitorsByDay = new HashMap<>();
        final Map<Long, Set<Object>> sessionsByDay = new HashMap<>();
        long pageviews = 0;
        long events = 0;
        for (final Map<String, Object> record : records)
        {
            final long time = ((BigDecimal)record.get("time")).longValueExact();
            if (!site.equals(record.get("site")) || time < fromMillis || time >= toMillis)
            {
                continue;
            }
            final long day = Math.floorDiv(time, MILLIS_PER_DAY);
            visitorsByDay.computeIfAbsent(day, d -> new HashSet<>()).add(record.get("visitor"));
            sessionsByDay.computeIfAbsent(day, d -> new HashSet<>()).add(record.get("session"));
            final Object type = record.get("type");
            if ("pageview".equals(type))
            {
                pageviews++;
            }
            else if (!"engagement".equals(type))
            {
                events++;
            }
        }
        final Map<String, Long> kpis = new LinkedHashMap<>();
        kpis.put("visitors", visitorsByDay.values().stream().mapToLong(Set::size).sum());
        kpis.put("pageviews", pageviews);
        kpis.put("events", events);
        kpis.put("sessions", sessionsByDay.values().stream().mapToLong(Set::size).sum());
        return kpis;
    }

    /** The same figures from a stats API answer, as longs. */
    public static Map<String, Long> kpisOf(final Map<String, Object> answer)
    {
        final Map<String, Long> kpis = new LinkedHashMap<>();
        for (final String key : List.of("visitors", "pageviews", "events", "sessions"))
        {
            kpis.put(key, ((BigDecimal)answer.get(key)).longValueExact());
        }
        return kpis;
    }
}
