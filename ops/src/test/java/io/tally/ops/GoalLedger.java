package io.tally.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A site's goals as the admin API acknowledged them, in priority order, each named with the marker its
 * definition carries (so a replace is told from the goal it replaced). Changes are made one at a time; when a
 * kill cuts one off unanswered, the engine may have applied it or not, so the restarted engine's list must be
 * the acknowledged one or that one with the unanswered change applied, nothing else.
 */
final class GoalLedger
{
    /** A goal as the test tells it apart: its name and the marker in its first condition's value. */
    record Goal(String name, String marker)
    {
    }

    private List<Goal> acknowledged = List.of();
    private UnaryOperator<List<Goal>> unanswered;

    synchronized List<Goal> acknowledged()
    {
        return acknowledged;
    }

    /** A change about to be sent: from now until its answer, the engine may or may not have it. */
    synchronized void sending(final UnaryOperator<List<Goal>> change)
    {
        if (unanswered != null)
        {
            throw new IllegalStateException("one change at a time: an unanswered one is still open");
        }
        unanswered = change;
    }

    /** The change sent last was answered 2xx. */
    synchronized void acknowledgedLast()
    {
        acknowledged = List.copyOf(unanswered.apply(new ArrayList<>(acknowledged)));
        unanswered = null;
    }

    /** The change sent last was answered with an error: not applied. */
    synchronized void refusedLast()
    {
        unanswered = null;
    }

    /**
     * Compares the goals a restarted engine lists with what was acknowledged and settles an unanswered change
     * either way.
     *
     * @return null when they agree, else what differs.
     */
    synchronized String check(final List<Goal> listed)
    {
        final List<Goal> withUnanswered = unanswered == null ? acknowledged
            : List.copyOf(unanswered.apply(new ArrayList<>(acknowledged)));
        if (!listed.equals(acknowledged) && !listed.equals(withUnanswered))
        {
            return "the engine lists goals " + listed + ", but the admin API acknowledged " + acknowledged +
                (unanswered == null ? "" : " (or, with the change the kill cut off, " + withUnanswered + ")");
        }
        acknowledged = List.copyOf(listed);
        unanswered = null;
        return null;
    }
}
