package io.tally.explore.report;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The figures of one group of a filtered report (docs/rollups.md, "Filters", says what each counts).
 *
 * @param key                the group's key ({@code (none)} for events without one); empty for the total
 * @param visitors           distinct visitors of the kept events
 * @param sessions           distinct sessions of the kept events
 * @param pageviews          kept pageviews
 * @param events             kept events other than pageviews and engagement beacons (Tally's {@code events})
 * @param visits             sessions with a kept event (engagement aside); by its start for time buckets
 * @param bounces            those visits with one event (engagement aside)
 * @param durationMillis     those visits' durations, summed (latest less earliest event)
 * @param visitPageviews     those visits' pageviews, all of them (views per visit)
 * @param matches            kept events that matched a goal
 * @param conversions        kept events that count as a conversion
 * @param convertingVisitors distinct visitors of those
 * @param weight             the goal weights of those, summed
 * @param engagedMillis      engaged time the kept engagement beacons report
 * @param engagedVisitors    distinct visitors who sent one with a time
 * @param scrollSum          their scroll depths, summed
 * @param scrollCount        how many carried one
 * @param revenue            revenue by currency, exact
 * @param goalValue          goal value of the conversions by currency, exact
 */
public record StatsRow(String key, long visitors, long sessions, long pageviews, long events, long visits, long bounces,
    long durationMillis, long visitPageviews, long matches, long conversions, long convertingVisitors, long weight, long engagedMillis,
    long engagedVisitors, long scrollSum, long scrollCount, Map<String, BigDecimal> revenue, Map<String, BigDecimal> goalValue)
{
}
