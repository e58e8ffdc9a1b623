package io.tally.store.rollup.day;

/**
 * What attribution knows when an event converts: its session's entry page and source, its visitor's first source
 * and first time; texts as ids of {@link #strings}. A flyweight the rollups fill for each record.
 */
public final class TouchView
{
    /** Source dimensions: referrer domain, utm_source, utm_medium, utm_campaign. */
    public static final int DIMENSIONS = 4;

    public Dictionary strings;
    public int entryPage;
    public final int[] sessionSource = new int[DIMENSIONS];
    public final int[] visitorSource = new int[DIMENSIONS];
    public long firstSeen;
}
