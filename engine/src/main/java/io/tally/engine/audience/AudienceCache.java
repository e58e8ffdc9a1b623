package io.tally.engine.audience;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Audience} of each User-Agent seen lately, at most {@code capacity} of them: the per-event cost of a
 * known User-Agent is a hash of its characters and one lookup, nothing made. Any thread reads; one writer (the
 * classifier's thread) adds, and past the capacity drops the entry added longest ago (a dropped User-Agent that
 * comes back is classified again: one more parse, never a wrong answer).
 * <p>
 * The keys are the User-Agents as Strings; a lookup is made with a {@link Probe}, a reused view of the request's
 * characters whose hash and equality are a String's, so the map finds the String without one being made.
 */
public final class AudienceCache
{
    private final int capacity;
    private final ConcurrentHashMap<Object, Audience> entries;
    /** The keys in the order they were added; written by the one writer under this object's lock. */
    private final ArrayDeque<String> order = new ArrayDeque<>();

    public AudienceCache(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("the User-Agent cache must hold at least 1 entry: " + capacity);
        }
        this.capacity = capacity;
        this.entries = new ConcurrentHashMap<>(capacity * 2);
    }

    /** The audience of the probe's User-Agent, or null when it is not (or no longer) known. */
    public Audience find(final Probe probe)
    {
        return entries.get(probe);
    }

    /** Adds (or replaces) one User-Agent's audience; past the capacity the oldest entry goes. */
    public synchronized void put(final String userAgent, final Audience audience)
    {
        if (entries.put(userAgent, audience) != null)
        {
            return;
        }
        order.addLast(userAgent);
        while (order.size() > capacity)
        {
            entries.remove(order.removeFirst());
        }
    }

    public int size()
    {
        return entries.size();
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * A reusable view of a User-Agent's characters as a lookup key: hashes and compares like the String of the same
     * characters. One per thread (or connection); valid while the wrapped characters are.
     */
    public static final class Probe
    {
        private CharSequence chars;
        private int hash;

        /** Wraps {@code userAgent} (null is taken as the empty User-Agent) and hashes it once. */
        public Probe wrap(final CharSequence userAgent)
        {
            chars = userAgent == null ? "" : userAgent;
            int h = 0;
            for (int i = 0, n = chars.length(); i < n; i++)
            {
                h = 31 * h + chars.charAt(i);
            }
            hash = h;
            return this;
        }

        /** The wrapped characters as a String, to keep (allocates: misses only). */
        public String keep()
        {
            return chars.toString();
        }

        @Override
        public int hashCode()
        {
            return hash;
        }

        @Override
        public boolean equals(final Object other)
        {
            if (!(other instanceof String key) || key.length() != chars.length() || key.hashCode() != hash)
            {
                return false;
            }
            for (int i = 0, n = key.length(); i < n; i++)
            {
                if (key.charAt(i) != chars.charAt(i))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
