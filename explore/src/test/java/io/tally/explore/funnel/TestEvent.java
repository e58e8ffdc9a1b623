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
    /**
     * Whether the event matches {@code step}: a page pattern's alternatives ({@code |}) and trailing {@code *}; the
     * filters the tests use ({@code visit:country==A|B} and {@code !=}, which keeps events without a country).
     */
    boolean matches(final FunnelQuery.Step step)
    {
        final boolean what = switch (step.type())
        {
            case "goal" -> step.value().equals(goal);
            case "event" -> kind.equals("event") && step.value().equals(value);
            case "page" -> kind.equals("page") && java.util.Arrays.stream(step.value().split("\\|")).anyMatch(pattern ->
                pattern.endsWith("*") ? value.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(value));
            default -> throw new IllegalArgumentException(step.type());
        };
        if (!what || step.filters() == null)
        {
            return what;
        }
        final boolean negated = step.filters().startsWith("visit:country!=");
        final java.util.List<String> countries = java.util.List.of(step.filters().substring("visit:country==".length()).split("\\|"));
        return negated ? country == null || !countries.contains(country) : country != null && countries.contains(country);
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
