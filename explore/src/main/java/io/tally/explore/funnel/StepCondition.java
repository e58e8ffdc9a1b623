package io.tally.explore.funnel;

import java.util.List;

/** The SQL condition over the view {@code events} that an event matches a funnel step by, with its parameters. */
record StepCondition(String sql, List<Object> parameters)
{
    /** The condition of {@code step}: its goal, event name or page, and its filters. */
    static StepCondition of(final FunnelQuery.Step step)
    {
        if (step.filters() != null)
        {
            throw new IllegalArgumentException("filters on funnel steps are not read yet");
        }
        return switch (step.type())
        {
            case "goal" -> new StepCondition("goal = ?", List.of(step.value()));
            case "event" -> new StepCondition("name = ?", List.of(step.value()));
            case "page" -> new StepCondition("type = 'pageview' AND path = ?", List.of(step.value()));
            default -> throw new IllegalArgumentException("a step's type is goal, event or page, not '" + step.type() + "'");
        };
    }
}
