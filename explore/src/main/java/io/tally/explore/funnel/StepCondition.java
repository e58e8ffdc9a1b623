package io.tally.explore.funnel;

import io.tally.explore.filter.Dimension;
import io.tally.explore.filter.EventFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL condition over the view {@code events} that an event matches a funnel step by, with its parameters: the
 * goal matched at ingest ({@code goal = ?}), the event name as filters read it ({@code event:name}), or a pageview whose
 * path matches the page pattern as the filter {@code event:page==VALUE} reads it ({@code *} any characters,
 * {@code |} alternatives); and the step's filters ({@link EventFilter}), all joined with AND.
 */
record StepCondition(String sql, List<Object> parameters)
{
    /** The condition of {@code step}. @throws io.tally.explore.filter.FilterException when its filters cannot be read. */
    static StepCondition of(final FunnelQuery.Step step)
    {
        final List<Object> parameters = new ArrayList<>();
        final String what = switch (step.type())
        {
            case "goal" -> "goal = ?";
            case "event" -> Dimension.EVENT_NAME.expression() + " = ?";
            case "page" -> "type = 'pageview'";
            default -> throw new IllegalArgumentException("a step's type is goal, event or page, not '" + step.type() + "'");
        };
        final StringBuilder sql = new StringBuilder("(").append(what).append(')');
        if (step.type().equals("page"))
        {
            final EventFilter page = EventFilter.parse(Dimension.EVENT_PAGE.text() + "==" + step.value());
            sql.append(" AND (").append(page.sql()).append(')');
            parameters.addAll(page.parameters());
        }
        else
        {
            parameters.add(step.value());
        }
        if (step.filters() != null)
        {
            final EventFilter filter = EventFilter.parse(step.filters());
            sql.append(" AND (").append(filter.sql()).append(')');
            parameters.addAll(filter.parameters());
        }
        return new StepCondition(sql.toString(), List.copyOf(parameters));
    }
}
