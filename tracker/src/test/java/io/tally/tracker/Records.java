package io.tally.tracker;

import io.tally.testing.TestEngine;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Journal records as {@code tally journal dump} shows them, read from a running test engine. */
final class Records
{
    private Records()
    {
    }

    static List<Map<String, Object>> matching(final TestEngine engine, final Predicate<Map<String, Object>> filter)
    {
        return engine.dump().stream().filter(filter).toList();
    }

    /** Waits (bounded) until at least {@code count} records match, then returns all that match. */
    static List<Map<String, Object>> await(final TestEngine engine, final int count, final String what,
        final Predicate<Map<String, Object>> filter)
    {
        Poll.until(count + " x " + what + " in the journal", () -> matching(engine, filter).size() >= count);
        return matching(engine, filter);
    }

    /** The one record that matches, once it is there. */
    static Map<String, Object> awaitOne(final TestEngine engine, final String what, final Predicate<Map<String, Object>> filter)
    {
        final List<Map<String, Object>> found = await(engine, 1, what, filter);
        if (found.size() != 1)
        {
            throw new AssertionError("expected one " + what + ", found " + found);
        }
        return found.get(0);
    }

    static Predicate<Map<String, Object>> type(final String type, final String path)
    {
        return r -> type.equals(r.get("type")) && path.equals(r.get("path"));
    }

    static Predicate<Map<String, Object>> named(final String name)
    {
        return r -> name.equals(r.get("name"));
    }
}
