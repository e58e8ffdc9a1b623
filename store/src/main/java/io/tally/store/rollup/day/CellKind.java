package io.tally.store.rollup.day;

/**
 * The kinds of figures a day holds. Each cell is keyed by its kind, an hour of the day (0-23; {@link #DAY} for a
 * whole-day cell a sealed segment adds) and three dictionary ids ({@code -} is 0); its measures are up to three
 * counts, an exact decimal sum, up to two bitmaps of visitor or session ordinals, and a histogram. A text kept under
 * a cap is always the third key.
 * <pre>
 *   kind           keys                        measures
 *   TOTAL          -, -, -                     c0 pageviews, c1 events; b0 visitors, b1 sessions
 *   REVENUE        currency, -, -              money: revenue of events that carried some
 *   NAME           -, -, name                  c0 events; b0 visitors
 *   PROPERTY_KEY   -, name, key                none: says the key is one the name keeps
 *   PROPERTY       name, key, value            c0 events; b0 visitors
 *   META           field, -, value             c0 events (field 0 label, 1 action, 2 category)
 *   GOAL           goal, -, -                  c0 matches, c1 conversions, c2 weight; b0 converting visitors;
 *                                              histogram: time from the visitor's first event (ms)
 *   GOAL_VALUE     goal, currency, -           money: value of the conversions
 *   GOAL_REVENUE   goal, currency, -           money: revenue of the matches
 *   ATTRIBUTION    goal, dimension, source     c0 conversions (dimension: {@link #FIRST_TOUCH} + d,
 *                                              {@link #LAST_TOUCH} + d, {@link #ENTRY_PAGE})
 *   PAGE           part, -, page               part {@link #PAGE_VIEWS}: c0 pageviews; b0 visitors, b1 sessions;
 *                                              part {@link #PAGE_ENGAGEMENT}: c0 engagements with a scroll depth,
 *                                              c1 engaged ms, c2 scroll depth sum; b0 visitors who engaged
 *   SOURCE         -, dimension, source        made from the session rows when a day is written, by the hour the
 *                                              visit started: c0 visits; b0 visitors (dimension 0-3 as for
 *                                              attribution, {@link #ENTRY_PAGE} the entry page)
 *   VISIT          part, -, -                  the same: part 0 c0 visits, c1 bounces, c2 duration ms; part 1 c0
 *                                              the visits' pageviews
 *   EXIT_PAGE      -, -, page                  the same: c0 exits; b0 visitors
 *   AUDIENCE       dimension, name, version    c0 pageviews, c1 conversions; b0 visitors (dimension: {@link #BROWSER},
 *                                              {@link #OPERATING_SYSTEM}, {@link #DEVICE}; a device's version is "")
 *   COUNTRY        country, -, -               c0 pageviews, c1 conversions; b0 visitors, b1 converting visitors
 *                                              (country: {@link #country} of the ISO code, 0 unknown; a number)
 * </pre>
 * The order is the segment's sort order and part of its layout: append, never reorder.
 */
public enum CellKind
{
    TOTAL, REVENUE, NAME, PROPERTY_KEY, PROPERTY, META, GOAL, GOAL_VALUE, GOAL_REVENUE, ATTRIBUTION, PAGE, SOURCE, VISIT, EXIT_PAGE,
    AUDIENCE,
    /** Segment layout version 3 on. */
    COUNTRY;

    /** The hour of a whole-day cell. */
    public static final int DAY = 24;
    public static final int HOURS = 24;
    public static final int FIRST_TOUCH = 0;
    public static final int LAST_TOUCH = 4;
    public static final int ENTRY_PAGE = 8;
    /** The parts of a {@link #PAGE} cell, its first key. */
    public static final int PAGE_VIEWS = 0;
    public static final int PAGE_ENGAGEMENT = 1;
    /** {@link #AUDIENCE} dimensions. */
    public static final int BROWSER = 0;
    public static final int OPERATING_SYSTEM = 1;
    public static final int DEVICE = 2;

    private static final CellKind[] VALUES = values();

    /** Whether key {@code n} (1-3) of this kind is a dictionary id (else a number, or unused). */
    public boolean isText(final int n)
    {
        return switch (this)
        {
            case TOTAL, COUNTRY -> false;
            case REVENUE, GOAL -> n == 1;
            case NAME -> n == 3;
            case PROPERTY_KEY -> n > 1;
            case META -> n == 3;
            case GOAL_VALUE, GOAL_REVENUE -> n < 3;
            case ATTRIBUTION -> n != 2;
            case PAGE, EXIT_PAGE -> n == 3;
            case SOURCE -> n == 3;
            case VISIT -> false;
            case AUDIENCE -> n != 1;
            default -> true;
        };
    }

    /** A COUNTRY key: the two ASCII bytes of an ISO 3166-1 alpha-2 code as one number; 0 for unknown. */
    public static int country(final byte first, final byte second)
    {
        return (first & 0xFF) << 8 | (second & 0xFF);
    }

    /** The ISO code of a COUNTRY key, or null for unknown. */
    public static String countryCode(final int key)
    {
        return key == 0 ? null : new String(new char[] {(char)(key >>> 8), (char)(key & 0xFF)});
    }

    /** Whether the kind's cells are made from a day's session rows when it is written, not counted as events come. */
    public boolean isMadeFromSessions()
    {
        return this == SOURCE || this == VISIT || this == EXIT_PAGE;
    }

    public static CellKind of(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /** Kind and hour in one int, the first part of a cell's key. */
    public static int kindHour(final CellKind kind, final int hour)
    {
        return kind.ordinal() << 5 | hour;
    }

    public static CellKind kindOf(final int kindHour)
    {
        return VALUES[kindHour >>> 5];
    }

    public static int hourOf(final int kindHour)
    {
        return kindHour & 31;
    }
}
