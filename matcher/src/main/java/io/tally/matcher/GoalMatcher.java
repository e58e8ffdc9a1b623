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
    private final long[] nameKeys;
    private final long[] valueUnscaled;
    private final int[] valueScale;
    private final byte[][] valueCurrency;
    private final GoalPlan[] plans = new GoalPlan[GoalType.values().length];
    private final boolean hasConversionGoal;

    public GoalMatcher(final List<Goal> goals)
    {
        this.goals = List.copyOf(goals);
        final int count = goals.size();
        this.names = new byte[count][];
        this.nameKeys = new long[count];
        this.valueUnscaled = new long[count];
        this.valueScale = new int[count];
        this.valueCurrency = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            final Goal goal = goals.get(i);
            names[i] = goal.name().getBytes(StandardCharsets.UTF_8);
            nameKeys[i] = nameKey(names[i]);
            if (goal.valueAmount() != null)
            {
                valueUnscaled[i] = goal.valueAmount().unscaledValue().longValueExact();
                valueScale[i] = goal.valueAmount().scale();
                valueCurrency[i] = goal.valueCurrency().getBytes(StandardCharsets.US_ASCII);
            }
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

    /** A 64-bit key of the goal's name, the same as {@link #nameKey(byte[])} gives for it. */
    public long goalKey(final int index)
    {
        return nameKeys[index];
    }

    /** The macro goal's configured value, unscaled. */
    public long valueUnscaled(final int index)
    {
        return valueUnscaled[index];
    }

    public int valueScale(final int index)
    {
        return valueScale[index];
    }

    /** The macro goal's ISO 4217 currency as three ASCII bytes, shared: never modify; null for other kinds. */
    public byte[] valueCurrency(final int index)
    {
        return valueCurrency[index];
    }

    /** A 64-bit key for a goal name (FNV-1a, then a mixer): names are the identity of goals in all data. */
    public static long nameKey(final byte[] utf8Name)
    {
        long h = 0xCBF29CE484222325L;
        for (final byte b : utf8Name)
        {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        return h ^ (h >>> 33);
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
