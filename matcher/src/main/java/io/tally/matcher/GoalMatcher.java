package io.tally.matcher;

import io.tally.codec.EventType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A site's goals in priority order, compiled into one {@link GoalPlan} per goal type. Immutable: a change of
 * goals compiles a new matcher and swaps it in whole, so an event is matched by the old set or the new,
 * never a mix. {@link #match} allocates nothing.
 */
public final class GoalMatcher
{
    public static final GoalMatcher EMPTY = new GoalMatcher(List.of());

    private final List<Goal> goals;
    private final byte[][] names;
    private final GoalPlan[] plans = new GoalPlan[GoalType.values().length];
    private final boolean hasConversionGoal;

    public GoalMatcher(final List<Goal> goals)
    {
        this.goals = List.copyOf(goals);
        this.names = new byte[goals.size()][];
        for (int i = 0; i < goals.size(); i++)
        {
            names[i] = goals.get(i).name().getBytes(StandardCharsets.UTF_8);
        }
        for (final GoalType type : GoalType.values())
        {
            final List<Goal> ofType = new ArrayList<>();
            final List<Integer> indices = new ArrayList<>();
            for (int i = 0; i < goals.size(); i++)
            {
                if (goals.get(i).type() == type)
                {
                    ofType.add(goals.get(i));
                    indices.add(i);
                }
            }
            plans[type.ordinal()] = ofType.isEmpty() ? null : new GoalPlan(ofType, indices);
        }
        hasConversionGoal = goals.stream().anyMatch(Goal::isConversion);
    }

    public List<Goal> goals()
    {
        return goals;
    }

    public Goal goal(final int index)
    {
        return goals.get(index);
    }

    /** The goal's name as UTF-8, shared: never modify. */
    public byte[] nameBytes(final int index)
    {
        return names[index];
    }

    public boolean hasConversionGoal()
    {
        return hasConversionGoal;
    }

    /** The index of the first goal (by priority) that the event matches, or -1. */
    public int match(final MatchInput input, final MatchState state)
    {
        final EventType type = input.type();
        final GoalType goalType = type == null ? null : GoalType.forEvent(type);
        final GoalPlan plan = goalType == null ? null : plans[goalType.ordinal()];
        return plan == null ? -1 : plan.match(input, state);
    }
}
