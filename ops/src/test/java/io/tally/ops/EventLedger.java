package io.tally.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the engine promised about each event a test sent, by the event's own id: how many copies the journal may
 * hold. An answer of 202 (or a batch line counted accepted or duplicate) promises exactly one; an error answer
 * promises none; a request the kill cut off may have been stored or not, but never twice. After each check the
 * uncertain ones are pinned to what the journal held, so a later kill can neither lose nor double them.
 */
final class EventLedger
{
    /** How many copies of an event the journal may hold: at least {@code min}, at most {@code max}. */
    record Copies(int min, int max)
    {
        static final Copies ONE = new Copies(1, 1);
        static final Copies NONE = new Copies(0, 0);

        boolean allows(final int count)
        {
            return count >= min && count <= max;
        }

        @Override
        public String toString()
        {
            return min == max ? Integer.toString(min) : min + " or " + max;
        }
    }

    private final Map<String, Copies> expected = new ConcurrentHashMap<>();

    /** Answered 202, or counted accepted or duplicate in a batch's answer. */
    void acknowledged(final String id)
    {
        expected.put(id, Copies.ONE);
    }

    /** Answered with an error: it must not be in the journal. */
    void refused(final String id)
    {
        final Copies before = expected.put(id, Copies.NONE);
        if (before != null && before.min() > 0)
        {
            throw new IllegalStateException(id + " was stored before and refused now: the test sent it wrongly");
        }
    }

    /** Sent, with no answer (the kill cut the connection): stored once or not at all; once stays once. */
    void unanswered(final String id)
    {
        expected.merge(id, new Copies(0, 1), (before, now) -> new Copies(before.min(), 1));
    }

    /** How many copies the last {@link #check} found of {@code id} (0 when never seen). */
    int pinned(final String id)
    {
        final Copies copies = expected.get(id);
        return copies == null ? 0 : copies.min();
    }

    /**
     * Compares the journal's copies of each id with the promises; every id in the journal must be one the test
     * sent. Then pins every uncertain id to the count found.
     *
     * @return one line per broken promise, empty when every one was kept.
     */
    List<String> check(final Map<String, Integer> copiesInJournal)
    {
        final List<String> broken = new ArrayList<>();
        final Map<String, Integer> sorted = new TreeMap<>(copiesInJournal);
        sorted.forEach((id, count) ->
        {
            if (!expected.containsKey(id))
            {
                broken.add(id + ": in the journal " + count + " time(s), but the test never sent it");
            }
        });
        new TreeMap<>(expected).forEach((id, copies) ->
        {
            final int count = copiesInJournal.getOrDefault(id, 0);
            if (!copies.allows(count))
            {
                broken.add(id + ": in the journal " + count + " time(s), expected " + copies);
            }
            else
            {
                expected.put(id, new Copies(count, count));
            }
        });
        return broken;
    }

    int size()
    {
        return expected.size();
    }
}
