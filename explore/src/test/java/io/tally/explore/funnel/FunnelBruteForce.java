package io.tally.explore.funnel;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The funnel's answer by brute force, written apart from the code under test: for each visitor every chain of
 * events (each later than the one before, matching the steps in order, in the first one's session or within the
 * window of it) is enumerated; the deepest chain with the earliest events is the visitor's path. The figures are
 * then counted straight from the paths.
 */
final class FunnelBruteForce
{
    private FunnelBruteForce()
    {
    }

    /**
     * The answer {@link FunnelQuery#run} should give, with the breakdown {@code visit:country} (the path's first event's
     * country) or {@code visit:entry_page} (the path of its session's first event), or none (null).
     */
    static Map<String, Object> answer(final List<TestEvent> events, final List<FunnelQuery.Step> steps, final long windowMillis,
        final String breakdownBy)
    {
        final Map<Long, List<TestEvent>> byVisitor = new TreeMap<>();
        for (final TestEvent event : events)
        {
            if (!event.robot())
            {
                byVisitor.computeIfAbsent(event.visitor(), v -> new ArrayList<>()).add(event);
            }
        }
        final List<List<TestEvent>> paths = new ArrayList<>();
        for (final List<TestEvent> mine : byVisitor.values())
        {
            mine.sort((a, b) -> a.before(b) ? -1 : b.before(a) ? 1 : 0);
            final List<TestEvent> best = new ArrayList<>();
            search(mine, steps, windowMillis, new ArrayList<>(), best);
            if (!best.isEmpty())
            {
                paths.add(best);
            }
        }
        final Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("steps", rows(paths, steps));
        if (breakdownBy != null)
        {
            final Map<String, List<List<TestEvent>>> groups = new TreeMap<>();
            for (final List<TestEvent> path : paths)
            {
                final String value = breakdownBy.equals("visit:country") ? path.get(0).country() : entryPage(events, path.get(0));
                groups.computeIfAbsent(value == null ? "(none)" : value, c -> new ArrayList<>()).add(path);
            }
            final List<Map.Entry<String, List<List<TestEvent>>>> sorted = new ArrayList<>(groups.entrySet());
            sorted.sort(Comparator.<Map.Entry<String, List<List<TestEvent>>>>comparingInt(g -> -g.getValue().size())
                .thenComparing(Map.Entry::getKey));
            final List<Object> rows = new ArrayList<>();
            for (final Map.Entry<String, List<List<TestEvent>>> group : sorted)
            {
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("value", group.getKey());
                row.put("steps", rows(group.getValue(), steps));
                rows.add(row);
            }
            final Map<String, Object> breakdown = new LinkedHashMap<>();
            breakdown.put("dimension", breakdownBy);
            breakdown.put("rows", rows);
            breakdown.put("total_rows", groups.size());
            breakdown.put("values_merged_into_other", false);
            answer.put("breakdown", breakdown);
        }
        answer.put("skipped_events", 0L);
        return answer;
    }

    /** The path of the first event of {@code event}'s session (a custom event's page is /z). */
    private static String entryPage(final List<TestEvent> events, final TestEvent event)
    {
        TestEvent first = event;
        for (final TestEvent other : events)
        {
            first = other.session() == event.session() && other.before(first) ? other : first;
        }
        return first.kind().equals("page") ? first.value() : "/z";
    }

    /** Extends {@code chain} every way it can; keeps in {@code best} the deepest, earliest chain seen. */
    private static void search(final List<TestEvent> events, final List<FunnelQuery.Step> steps, final long windowMillis,
        final List<TestEvent> chain, final List<TestEvent> best)
    {
        if (chain.size() > best.size() || chain.size() == best.size() && !chain.isEmpty() && earlier(chain, best))
        {
            best.clear();
            best.addAll(chain);
        }
        if (chain.size() == steps.size())
        {
            return;
        }
        for (final TestEvent event : events)
        {
            final boolean fits = chain.isEmpty() || chain.get(chain.size() - 1).before(event) && (windowMillis == 0 ?
                event.session() == chain.get(0).session() : event.time() - chain.get(0).time() <= windowMillis);
            if (fits && event.matches(steps.get(chain.size())))
            {
                chain.add(event);
                search(events, steps, windowMillis, chain, best);
                chain.remove(chain.size() - 1);
            }
        }
    }

    /** Whether {@code a} is before {@code b}, comparing their events in turn. */
    private static boolean earlier(final List<TestEvent> a, final List<TestEvent> b)
    {
        for (int i = 0; i < a.size(); i++)
        {
            if (a.get(i) != b.get(i))
            {
                return a.get(i).before(b.get(i));
            }
        }
        return false;
    }

    private static List<Object> rows(final List<List<TestEvent>> paths, final List<FunnelQuery.Step> steps)
    {
        final List<Object> rows = new ArrayList<>();
        final long entered = paths.size();
        long previous = entered;
        for (int i = 0; i < steps.size(); i++)
        {
            final int step = i;
            final List<List<TestEvent>> reached = paths.stream().filter(p -> p.size() > step).toList();
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", steps.get(i).name());
            row.put("type", steps.get(i).type());
            row.put("value", steps.get(i).value());
            row.put("visitors", (long)reached.size());
            row.put("dropoff", previous - reached.size());
            row.put("conversion_rate", rate(reached.size(), entered));
            row.put("conversion_rate_from_previous", rate(reached.size(), previous));
            row.put("median_seconds_from_previous", step == 0 ? null :
                median(reached.stream().map(p -> p.get(step).time() - p.get(step - 1).time()).sorted().toList()));
            final Map<String, BigDecimal> revenue = new TreeMap<>();
            reached.stream().map(p -> p.get(step).revenue()).filter(r -> r != null)
                .forEach(r -> revenue.merge("EUR", r, BigDecimal::add));
            final List<Object> money = new ArrayList<>();
            revenue.forEach((currency, amount) -> money.add(Map.of("currency", currency, "amount",
                amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString())));
            row.put("revenue", money);
            rows.add(row);
            previous = reached.size();
        }
        return rows;
    }

    /** Percent, rounded half up to 2 decimals (0.00 of nothing). */
    private static BigDecimal rate(final long part, final long whole)
    {
        return whole == 0 ? new BigDecimal("0.00") : new BigDecimal(part * 100).divide(new BigDecimal(whole), 2, RoundingMode.HALF_UP);
    }

    /** The median of sorted millisecond gaps in seconds, with 4 decimals; null of none. */
    private static BigDecimal median(final List<Long> gaps)
    {
        if (gaps.isEmpty())
        {
            return null;
        }
        final int n = gaps.size();
        final BigDecimal millis = n % 2 == 1 ? new BigDecimal(gaps.get(n / 2)) :
            new BigDecimal(gaps.get(n / 2 - 1) + gaps.get(n / 2)).divide(new BigDecimal(2));
        return millis.divide(new BigDecimal(1000)).setScale(4, RoundingMode.UNNECESSARY);
    }
}
