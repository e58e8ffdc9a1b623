package io.tally.matcher;

import java.util.Arrays;

/**
 * The scratch of one match: a bit per condition whose positive test held, and a bit per goal that became a
 * candidate. One per thread, reused for every event; it grows only when a larger goal set is compiled.
 */
public final class MatchState
{
    private long[] conditionBits = new long[16];
    private long[] candidateBits = new long[16];
    private int[] anchorGoal;

    void begin(final int conditions, final int goals, final int[] anchorGoal)
    {
        final int conditionWords = (conditions + 63) >>> 6;
        final int goalWords = (goals + 63) >>> 6;
        if (conditionBits.length < conditionWords)
        {
            conditionBits = new long[conditionWords];
        }
        if (candidateBits.length < goalWords)
        {
            candidateBits = new long[goalWords];
        }
        Arrays.fill(conditionBits, 0, conditionWords, 0);
        Arrays.fill(candidateBits, 0, goalWords, 0);
        this.anchorGoal = anchorGoal;
    }

    /** Condition {@code id}'s positive test held; if it anchors a goal, that goal becomes a candidate. */
    void fire(final int id)
    {
        conditionBits[id >>> 6] |= 1L << id;
        final int goal = anchorGoal[id];
        if (goal >= 0)
        {
            candidateBits[goal >>> 6] |= 1L << goal;
        }
    }

    boolean held(final int id)
    {
        return (conditionBits[id >>> 6] & (1L << id)) != 0;
    }

    long[] candidateBits()
    {
        return candidateBits;
    }
}
