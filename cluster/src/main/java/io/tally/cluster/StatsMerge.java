package io.tally.cluster;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds stats answers of several workers into the cluster's. Counts and sums add, unique visitors too (a visitor's
 * events all go to one partition, so to one worker); rates are made again from the added figures. Averages of a
 * visit (bounce rate, duration, views per visit) are the workers' figures weighted by their visits: exact but for
 * the rounding each worker applied. A goal's time to conversion is a percentile and does not add: it is left out.
 */
final class StatsMerge
{
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private StatsMerge()
    {
    }

    /** The KPIs of all workers ({@code compare=previous}'s figures with them). */
    static Map<String, Object> kpis(final List<Map<String, Object>> answers)
    {
        final Map<String, Object> merged = new LinkedHashMap<>(answers.get(0));
        for (final String count : List.of("visitors", "pageviews", "events", "sessions", "conversions", "visits"))
        {
            if (merged.containsKey(count))
            {
                merged.put(count, sum(answers, count));
            }
        }
        if (merged.containsKey("conversion_rate"))
        {
            merged.put("conversion_rate", percent(number(merged, "conversions"), number(merged, "visitors")));
        }
        merged.put("revenue", money(answers, "revenue"));
        final BigDecimal visits = number(merged, "visits");
        merged.put("bounce_rate", weighted(answers, "bounce_rate", visits, 2));
        merged.put("visit_duration", weighted(answers, "visit_duration", visits, 0));
        merged.put("views_per_visit", weighted(answers, "views_per_visit", visits, 2));
        if (merged.get("previous") instanceof Map)
        {
            final List<Map<String, Object>> previous = new ArrayList<>();
            answers.forEach(answer -> previous.add(map(answer.get("previous"))));
            merged.put("previous", kpis(previous));
        }
        return merged;
    }

    /** The goals report of all workers; {@code visitors}: the site's visitors in the range, the rates' base. */
    static Map<String, Object> goals(final List<Map<String, Object>> answers, final BigDecimal visitors)
    {
        final Map<String, Object> merged = new LinkedHashMap<>(answers.get(0));
        final Map<String, List<Map<String, Object>>> byName = new LinkedHashMap<>();
        for (final Map<String, Object> answer : answers)
        {
            for (final Object row : (List<?>)answer.get("goals"))
            {
                byName.computeIfAbsent(String.valueOf(map(row).get("name")), name -> new ArrayList<>()).add(map(row));
            }
        }
        final List<Object> rows = new ArrayList<>();
        byName.forEach((name, parts) ->
        {
            final Map<String, Object> row = new LinkedHashMap<>(parts.get(0));
            for (final String count : List.of("conversions", "visitors", "matches", "weight"))
            {
                row.put(count, sum(parts, count));
            }
            row.put("conversion_rate", percent(number(row, "visitors"), visitors));
            row.put("value", money(parts, "value"));
            row.put("revenue", money(parts, "revenue"));
            row.put("time_to_conversion", null);
            rows.add(row);
        });
        merged.put("goals", rows);
        return merged;
    }

    private static BigDecimal sum(final List<Map<String, Object>> answers, final String key)
    {
        BigDecimal total = BigDecimal.ZERO;
        for (final Map<String, Object> answer : answers)
        {
            total = total.add(number(answer, key));
        }
        return total;
    }

    /** Amounts per currency added, in the order the currencies first appear. */
    private static List<Object> money(final List<Map<String, Object>> answers, final String key)
    {
        final Map<String, BigDecimal> amounts = new LinkedHashMap<>();
        for (final Map<String, Object> answer : answers)
        {
            final Object list = answer.get(key);
            if (list instanceof List)
            {
                for (final Object entry : (List<?>)list)
                {
                    amounts.merge(String.valueOf(map(entry).get("currency")),
                        new BigDecimal(String.valueOf(map(entry).get("amount"))), BigDecimal::add);
                }
            }
        }
        final List<Object> money = new ArrayList<>();
        amounts.forEach((currency, amount) ->
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("currency", currency);
            entry.put("amount", amount.toPlainString());
            money.add(entry);
        });
        return money;
    }

    private static BigDecimal weighted(final List<Map<String, Object>> answers, final String key, final BigDecimal visits,
        final int scale)
    {
        if (visits.signum() == 0)
        {
            return BigDecimal.ZERO.setScale(scale);
        }
        BigDecimal total = BigDecimal.ZERO;
        for (final Map<String, Object> answer : answers)
        {
            total = total.add(number(answer, key).multiply(number(answer, "visits")));
        }
        return total.divide(visits, scale, RoundingMode.HALF_UP);
    }

    static BigDecimal percent(final BigDecimal part, final BigDecimal whole)
    {
        return whole.signum() == 0 ? BigDecimal.ZERO : part.multiply(HUNDRED).divide(whole, 2, RoundingMode.HALF_UP);
    }

    static BigDecimal number(final Map<String, Object> answer, final String key)
    {
        final Object value = answer.get(key);
        return value instanceof BigDecimal ? (BigDecimal)value : value instanceof Number ?
            new BigDecimal(value.toString()) : BigDecimal.ZERO;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(final Object value)
    {
        return value instanceof Map ? (Map<String, Object>)value : Map.of();
    }
}
