package io.tally.explore.funnel;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts a funnel over a stream of events that match any of its steps, sorted by visitor (then as
 * {@link VisitorPath} needs): each visitor's path is found when the next visitor starts, and counted for all
 * visitors and, with a breakdown ({@code maxGroups > 0}), for the breakdown value of the path's first event. At most
 * {@code maxGroups - 1} breakdown values are kept; visitors of later new values count under {@link #OTHER}.
 */
final class FunnelCounter
{
    /** The breakdown value of visitors whose value had no room among the groups kept. */
    static final String OTHER = "(other)";
    /** The breakdown value of a visitor whose first step's event has none. */
    static final String NONE = "(none)";

    private final int steps;
    private final int maxGroups;
    private final VisitorPath path;
    private final StepFigures all;
    private final Map<String, StepFigures> groups = new HashMap<>();
    private BigDecimal[] revenue = new BigDecimal[16];
    private String[] currencies = new String[16];
    private String[] values = new String[16];
    private long visitor;
    private int kept;
    private long skippedEvents;
    private boolean groupsFull;

    FunnelCounter(final int steps, final long windowMillis, final int maxEventsPerVisitor, final int maxGroups)
    {
        this.steps = steps;
        this.maxGroups = maxGroups;
        this.path = new VisitorPath(steps, windowMillis, maxEventsPerVisitor);
        this.all = new StepFigures(steps);
    }

    /**
     * The next event: its visitor, session, time, journal index, the steps it matches (bit {@code i} for step
     * {@code i}), its revenue and currency (null without), and its breakdown value (null without a breakdown).
     */
    void add(final long visitorId, final long session, final long time, final long journalIndex, final int mask,
        final BigDecimal amount, final String currency, final String value)
    {
        if (kept > 0 && visitorId != visitor)
        {
            finishVisitor();
        }
        visitor = visitorId;
        if (!path.add(session, time, journalIndex, mask))
        {
            skippedEvents++;
            return;
        }
        if (kept == revenue.length)
        {
            revenue = Arrays.copyOf(revenue, kept * 2);
            currencies = Arrays.copyOf(currencies, kept * 2);
            values = Arrays.copyOf(values, kept * 2);
        }
        revenue[kept] = amount;
        currencies[kept] = currency;
        values[kept] = value;
        kept++;
    }

    /** Counts the last visitor; then the figures are read. */
    void finish()
    {
        if (kept > 0)
        {
            finishVisitor();
        }
    }

    StepFigures all()
    {
        return all;
    }

    /** The figures by breakdown value. */
    Map<String, StepFigures> groups()
    {
        return groups;
    }

    /** Whether some visitors were counted under {@link #OTHER} for want of room. */
    boolean groupsFull()
    {
        return groupsFull;
    }

    /** Events left out because their visitor had more than the most kept. */
    long skippedEvents()
    {
        return skippedEvents;
    }

    private void finishVisitor()
    {
        path.solve();
        final int depth = path.depth();
        if (depth > 0)
        {
            count(all, depth);
            if (maxGroups > 0)
            {
                final String value = values[path.event(0)];
                count(group(value == null ? NONE : value), depth);
            }
        }
        path.clear();
        Arrays.fill(revenue, 0, kept, null);
        Arrays.fill(currencies, 0, kept, null);
        Arrays.fill(values, 0, kept, null);
        kept = 0;
    }

    private void count(final StepFigures figures, final int depth)
    {
        for (int step = 0; step < depth; step++)
        {
            final int event = path.event(step);
            figures.reached(step, step == 0 ? 0 : path.time(event) - path.time(path.event(step - 1)));
            if (revenue[event] != null && currencies[event] != null)
            {
                figures.revenue(step, currencies[event], revenue[event]);
            }
        }
    }

    private StepFigures group(final String value)
    {
        StepFigures figures = groups.get(value);
        if (figures == null)
        {
            final boolean room = groups.size() < maxGroups - 1;
            groupsFull |= !room;
            figures = groups.computeIfAbsent(room ? value : OTHER, ignored -> new StepFigures(steps));
        }
        return figures;
    }
}
