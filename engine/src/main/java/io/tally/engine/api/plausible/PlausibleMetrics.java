package io.tally.engine.api.plausible;

import io.tally.engine.api.request.InvalidRequestException;
import io.tally.engine.api.stats.FilteredReports;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Plausible's v1 metrics, read from the event store's figures as Plausible defines them: {@code events} are
 * pageviews and custom events; {@code bounce_rate} and {@code visit_duration} whole numbers (%, seconds);
 * {@code views_per_visit} two decimals; {@code conversion_rate} one decimal, over a denominator the caller gives;
 * {@code time_on_page} the engaged seconds per engaged visitor (null without engagement).
 */
final class PlausibleMetrics
{
    static final List<String> ALL = List.of("visitors", "visits", "pageviews", "views_per_visit", "bounce_rate",
        "visit_duration", "events", "conversion_rate", "time_on_page");

    private PlausibleMetrics()
    {
    }

    /** {@code metrics=a,b}, each known and once; {@code visitors} when not given. */
    static List<String> parse(final String text)
    {
        if (text == null)
        {
            return List.of("visitors");
        }
        final LinkedHashSet<String> metrics = new LinkedHashSet<>();
        for (final String metric : text.split(",", -1))
        {
            final String name = metric.trim();
            if (!ALL.contains(name))
            {
                throw new InvalidRequestException("invalid_metric", "The metric `" + name + "` is not recognized. Known: "
                    + String.join(", ", ALL));
            }
            if (!metrics.add(name))
            {
                throw new InvalidRequestException("invalid_metric", "The metric `" + name + "` is given twice");
            }
        }
        return List.copyOf(metrics);
    }

    /** A metric's value; {@code denominatorVisitors}: the visitors a conversion rate divides by. */
    static Object value(final String metric, final FilteredReports.Figures figures, final long denominatorVisitors)
    {
        return switch (metric)
        {
            case "visitors" -> figures.visitors();
            case "visits" -> figures.visits();
            case "pageviews" -> figures.pageviews();
            case "events" -> figures.pageviews() + figures.events();
            case "views_per_visit" -> figures.visits() == 0 ? BigDecimal.ZERO.setScale(2) :
                BigDecimal.valueOf(figures.visitPageviews()).divide(BigDecimal.valueOf(figures.visits()), 2, RoundingMode.HALF_UP);
            case "bounce_rate" -> figures.visits() == 0 ? 0 : Math.round(100.0 * figures.bounces() / figures.visits());
            case "visit_duration" -> figures.visits() == 0 ? 0 : Math.round(figures.durationMillis() / 1000.0 / figures.visits());
            case "conversion_rate" -> denominatorVisitors == 0 ? BigDecimal.ZERO.setScale(1) :
                BigDecimal.valueOf(figures.visitors() * 100L).divide(BigDecimal.valueOf(denominatorVisitors), 1, RoundingMode.HALF_UP);
            case "time_on_page" -> figures.engagedVisitors() == 0 ? null :
                Math.round(figures.engagedMillis() / 1000.0 / figures.engagedVisitors());
            default -> throw new IllegalStateException("a metric without a value: " + metric);
        };
    }

    /**
     * Plausible's comparison with the previous period: the difference for the bounce rate, otherwise the change in
     * percent, whole (100 from nothing to something, 0 from nothing to nothing).
     */
    static Object change(final String metric, final Object now, final Object before)
    {
        if (now == null || before == null)
        {
            return null;
        }
        final double current = ((Number)now).doubleValue();
        final double previous = ((Number)before).doubleValue();
        if (metric.equals("bounce_rate"))
        {
            return Math.round(current - previous);
        }
        if (previous == 0)
        {
            return current > 0 ? 100 : 0;
        }
        return Math.round((current - previous) / previous * 100);
    }

    /** Whether {@code metrics} holds any of {@code names}. */
    static boolean any(final List<String> metrics, final String... names)
    {
        return Arrays.stream(names).anyMatch(metrics::contains);
    }
}
