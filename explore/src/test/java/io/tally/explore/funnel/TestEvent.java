package io.tally.explore.funnel;

import java.math.BigDecimal;

/**
 * An event of the funnel tests, as written to the journal: {@code order} is its place in the journal (the store's
 * journal index follows it). {@code kind} is {@code page} (a pageview of {@code value}, a path), {@code event} (a
 * custom event named {@code value}); {@code goal} the goal matched at ingest (null when none).
 */
record TestEvent(int order, long visitor, long session, long time, String kind, String value, String goal,
    BigDecimal revenue, String country, boolean robot)
{
    /** Whether the event matches {@code step} (no filters). */
    boolean matches(final FunnelQuery.Step step)
    {
        return switch (step.type())
        {
            case "goal" -> step.value().equals(goal);
            case "event" -> kind.equals("event") && step.value().equals(value);
            case "page" -> kind.equals("page") && step.value().equals(value);
            default -> throw new IllegalArgumentException(step.type());
        };
    }

    /** The bits of the steps it matches. */
    int mask(final java.util.List<FunnelQuery.Step> steps)
    {
        int mask = 0;
        for (int i = 0; i < steps.size(); i++)
        {
            mask |= matches(steps.get(i)) ? 1 << i : 0;
        }
        return mask;
    }

    /** Before {@code other} in time, then in the journal. */
    boolean before(final TestEvent other)
    {
        return time < other.time || time == other.time && order < other.order;
    }
}
