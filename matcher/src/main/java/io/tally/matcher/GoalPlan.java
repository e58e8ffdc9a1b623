package io.tally.matcher;

import io.tally.codec.TextView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The goals of one type on one site, compiled. Conditions are numbered goal by goal in priority order; each
 * field's conditions sit in one {@link PatternIndex}, so an event's text is scanned once per field whatever
 * the number of goals. A goal becomes a candidate when its anchor (a positive condition that must hold for
 * it to match) fires, or always when it has none; candidates are then checked in priority order and the
 * first whose conditions hold wins.
 */
final class GoalPlan
{
    private final int[] goalIndex;
    private final int[] firstCondition;
    private final boolean[] matchAll;
    private final boolean[] negated;
    private final int[] anchorGoal;
    private final long[] alwaysCandidates;
    private final Field[] scannedFields;
    private final PatternIndex[] byField = new PatternIndex[Field.values().length];
    private final PatternIndex propertyKeys;
    private final PatternIndex[] propertyValues;

    GoalPlan(final List<Goal> goals, final List<Integer> indices)
    {
        final int goalCount = goals.size();
        goalIndex = indices.stream().mapToInt(Integer::intValue).toArray();
        firstCondition = new int[goalCount + 1];
        matchAll = new boolean[goalCount];
        int conditions = 0;
        for (int g = 0; g < goalCount; g++)
        {
            firstCondition[g] = conditions;
            matchAll[g] = goals.get(g).matchAll();
            conditions += goals.get(g).conditions().size();
        }
        firstCondition[goalCount] = conditions;
        negated = new boolean[conditions];
        anchorGoal = new int[conditions];
        alwaysCandidates = new long[(goalCount + 63) >>> 6];

        final Map<Field, PatternIndex.Builder> builders = new HashMap<>();
        final Map<String, Integer> valueKeys = new HashMap<>();
        final PatternIndex.Builder keyDirectory = PatternIndex.builder(false);
        final List<PatternIndex.Builder> valueBuilders = new ArrayList<>();
        for (int g = 0; g < goalCount; g++)
        {
            final Goal goal = goals.get(g);
            final int anchor = anchorOf(goal);
            if (anchor < 0)
            {
                alwaysCandidates[g >>> 6] |= 1L << g;
            }
            for (int c = 0; c < goal.conditions().size(); c++)
            {
                final Condition condition = goal.conditions().get(c);
                final int id = firstCondition[g] + c;
                negated[id] = condition.op().isNegated();
                anchorGoal[id] = anchor == c || (!goal.matchAll() && anchor >= 0) ? g : -1;
                final PatternIndex.Builder builder;
                if (condition.field() == Field.PROP_VALUE)
                {
                    final String key = lowerAscii(condition.key());
                    final Integer keyId = valueKeys.computeIfAbsent(key, k ->
                    {
                        keyDirectory.add(Op.EQUALS, k, valueBuilders.size());
                        valueBuilders.add(PatternIndex.builder(false));
                        return valueBuilders.size() - 1;
                    });
                    builder = valueBuilders.get(keyId);
                }
                else
                {
                    builder = builders.computeIfAbsent(condition.field(), f -> PatternIndex.builder(f.caseSensitive()));
                }
                builder.add(condition.op().positive(), condition.value(), id);
            }
        }
        final List<Field> fields = new ArrayList<>();
        for (final Map.Entry<Field, PatternIndex.Builder> entry : builders.entrySet())
        {
            byField[entry.getKey().ordinal()] = entry.getValue().build();
            fields.add(entry.getKey());
        }
        scannedFields = fields.toArray(new Field[0]);
        propertyKeys = keyDirectory.build();
        propertyValues = valueBuilders.stream().map(PatternIndex.Builder::build).toArray(PatternIndex[]::new);
    }

    /**
     * The condition whose truth a goal's match needs, so the goal need only be looked at when it fired: for
     * {@code all}, its first positive condition; for {@code any} with no negated condition, every condition
     * (returned as 0, and each condition then anchors); -1 when the goal must always be looked at.
     */
    private static int anchorOf(final Goal goal)
    {
        final List<Condition> conditions = goal.conditions();
        if (goal.matchAll())
        {
            for (int c = 0; c < conditions.size(); c++)
            {
                if (!conditions.get(c).op().isNegated())
                {
                    return c;
                }
            }
            return -1;
        }
        for (final Condition condition : conditions)
        {
            if (condition.op().isNegated())
            {
                return -1;
            }
        }
        return 0;
    }

    /**
     * {@code key} with its ASCII letters lower-cased and nothing else changed, as {@link PatternIndex} folds
     * property keys: keys that differ only in ASCII case share one entry of the key directory.
     */
    private static String lowerAscii(final String key)
    {
        final char[] chars = key.toCharArray();
        for (int i = 0; i < chars.length; i++)
        {
            if (chars[i] >= 'A' && chars[i] <= 'Z')
            {
                chars[i] = (char)(chars[i] + ('a' - 'A'));
            }
        }
        return new String(chars);
    }

    /** The site-wide index of the first goal that matches, or -1. */
    int match(final MatchInput input, final MatchState state)
    {
        state.begin(negated.length, matchAll.length, anchorGoal);
        for (final Field field : scannedFields)
        {
            if (field == Field.PROP_KEY)
            {
                for (int p = 0, n = input.beacon().propertyCount(); p < n; p++)
                {
                    byField[field.ordinal()].scan(input.beacon().propertyKey(p), state);
                }
            }
            else
            {
                byField[field.ordinal()].scan(input.text(field), state);
            }
        }
        if (propertyValues.length > 0)
        {
            scanPropertyValues(input, state);
        }
        final long[] candidates = state.candidateBits();
        for (int word = 0; word < alwaysCandidates.length; word++)
        {
            long bits = candidates[word] | alwaysCandidates[word];
            while (bits != 0)
            {
                final int goal = (word << 6) + Long.numberOfTrailingZeros(bits);
                if (holds(goal, state))
                {
                    return goalIndex[goal];
                }
                bits &= bits - 1;
            }
        }
        return -1;
    }

    private void scanPropertyValues(final MatchInput input, final MatchState state)
    {
        for (int p = 0, n = input.beacon().propertyCount(); p < n; p++)
        {
            final int key = propertyKeys.exactMatch(input.beacon().propertyKey(p));
            if (key >= 0)
            {
                final TextView value = input.beacon().propertyValue(p);
                propertyValues[key].scan(value, state);
            }
        }
    }

    private boolean holds(final int goal, final MatchState state)
    {
        final boolean all = matchAll[goal];
        for (int id = firstCondition[goal], end = firstCondition[goal + 1]; id < end; id++)
        {
            final boolean truth = state.held(id) != negated[id];
            if (truth != all)
            {
                return truth;
            }
        }
        return all;
    }
}
