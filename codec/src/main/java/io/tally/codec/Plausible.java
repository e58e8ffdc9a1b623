package io.tally.codec;

import io.tally.codec.json.JsonCursor;
import io.tally.codec.json.JsonMembers;
import io.tally.codec.json.JsonNumbers;
import io.tally.codec.json.JsonSkipper;
import io.tally.codec.json.JsonStrings;

import static io.tally.codec.Outcome.*;

/**
 * Bodies written for Plausible's Events API or its script (docs/plausible.md), read with Plausible's own rules
 * (its lib/plausible/ingestion/request.ex): the type a body without {@code t} gets from its name, its
 * {@link PlausibleProps properties} and {@link PlausibleRevenue revenue}, an engagement's {@code sd} and
 * {@code e}, and, once the body is read, {@link #finish} for what Plausible stores differently (the page, the
 * referrer, the engagement). A field Plausible would drop is dropped and counted in the beacon's
 * {@link Beacon#dropped()}, the event kept. The long key names themselves are in {@link FieldTable}.
 * Not thread-safe.
 */
final class Plausible
{
    private static final byte[] PAGEVIEW = {'p', 'a', 'g', 'e', 'v', 'i', 'e', 'w'};
    private static final byte[] ENGAGEMENT = {'e', 'n', 'g', 'a', 'g', 'e', 'm', 'e', 'n', 't'};
    private static final int MAX_SCROLL_DEPTH = 100;
    /** Plausible ignores an engaged time of 30 days or more (an old script sent such values). */
    private static final long MAX_ENGAGED_MILLIS = 30L * 24 * 60 * 60 * 1000;
    private static final int MILLIS_SCALE = 3;
    /** {@code sd} or {@code e} not in the body. */
    private static final long ABSENT = Long.MIN_VALUE + 1;

    private final PlausibleProps props;
    private final PlausibleRevenue revenue;
    private final PageUrl pageUrl = new PageUrl();
    private final TextView pageHost = new TextView();
    private final TextView referrerHost = new TextView();
    private long scrollDepth;
    private long engagedMillis;

    /**
     * @param strings      the body's string reader
     * @param propsStrings where a {@code props} string is unescaped: never the body's scratch, whose views
     *                     must stay put
     */
    Plausible(final BeaconValues values, final JsonMembers members, final JsonSkipper skipper, final JsonNumbers numbers,
        final JsonStrings strings, final JsonStrings propsStrings)
    {
        this.props = new PlausibleProps(values, members, skipper, new NestedJson(propsStrings));
        this.revenue = new PlausibleRevenue(values, members, skipper, numbers, strings,
            new NestedJson(new JsonStrings(256, Beacon.MAX_VALUE_CHARS, Beacon.MAX_KEY_CHARS)));
    }

    void begin(final Beacon into)
    {
        props.begin(into);
        revenue.begin(into);
        scrollDepth = ABSENT;
        engagedMillis = ABSENT;
    }

    /** {@code props}, {@code p}, {@code m} or {@code meta}. */
    Outcome props(final JsonCursor c)
    {
        return props.read(c);
    }

    /** {@code revenue} or {@code $}. */
    Outcome revenue(final JsonCursor c)
    {
        return revenue.read(c);
    }

    // ----------------------------------------------------------------------------------- engagement fields

    /** {@code sd}, as {@link BeaconValues#lenientInteger} read it. */
    void scrollDepth(final long value)
    {
        scrollDepth = value;
    }

    /** {@code e}, as {@link BeaconValues#lenientInteger} read it. */
    void engagedMillis(final long value)
    {
        engagedMillis = value;
    }

    /**
     * An engagement's scroll depth, as Plausible takes {@code sd}: 0 to 100, more is 100; a negative or
     * non-integer one is dropped. Also for a beacon's {@code x} that sends it.
     */
    void applyScrollDepth(final Beacon b)
    {
        if (scrollDepth == ABSENT)
        {
            return;
        }
        if (scrollDepth < 0)
        {
            b.dropped.add(DropReason.SCROLL_DEPTH);
            return;
        }
        b.scrollDepth = (int)Math.min(scrollDepth, MAX_SCROLL_DEPTH);
    }

    // --------------------------------------------------------------------------------------------- finish

    /**
     * What Plausible does once the whole body is known: an engagement needs a scroll depth or an engaged time,
     * the page's path is decoded and trimmed (its fragment kept only in hash mode), and a referrer that is no
     * outside http(s) page is dropped.
     */
    Outcome finish(final JsonCursor c, final Beacon b, final boolean hashMode)
    {
        if (b.type == EventType.ENGAGEMENT && !engagement(b))
        {
            return c.fail(MISSING_FIELD, "an engagement needs an integer 'sd' or a positive integer 'e'");
        }
        pageUrl.normalize(b.url(), hashMode);
        referrer(b);
        return ACCEPTED;
    }

    /**
     * Stores {@code e} as engaged seconds (milliseconds, so scale 3); false when neither {@code sd} nor a positive
     * {@code e} is usable, which Plausible refuses (its missing engaged time is 0).
     */
    private boolean engagement(final Beacon b)
    {
        applyScrollDepth(b);
        long millis = engagedMillis;
        if (millis != ABSENT && (millis < 0 || millis >= MAX_ENGAGED_MILLIS))
        {
            b.dropped.add(DropReason.ENGAGED_TIME);
            millis = ABSENT;
        }
        if (millis != ABSENT && !b.hasSeconds)
        {
            b.hasSeconds = true;
            b.secondsUnscaled = millis;
            b.secondsScale = millis == 0 ? 0 : MILLIS_SCALE;
        }
        return b.scrollDepth != Beacon.NO_SCROLL_DEPTH || (millis != ABSENT && millis > 0) ||
            (b.hasSeconds && b.secondsUnscaled > 0);
    }

    /**
     * Plausible keeps a referrer only when it is an http, https or android-app URL with a host that is not the
     * page's own site (nor {@code localhost}); an empty one is no referrer.
     */
    private void referrer(final Beacon b)
    {
        final TextView referrer = b.referrer();
        if (!referrer.isPresent())
        {
            return;
        }
        if (referrer.length() == 0)
        {
            referrer.reset();
            return;
        }
        if (!Referrers.isOutside(referrer, b.url(), referrerHost, pageHost))
        {
            referrer.reset();
            b.dropped.add(DropReason.REFERRER);
        }
    }

    /** A body without {@code t} but with a name is Plausible's: its type follows from the name. */
    static void inferType(final Beacon b)
    {
        b.type = b.name().equalsAscii(PAGEVIEW) ? EventType.PAGEVIEW :
            b.name().equalsAscii(ENGAGEMENT) ? EventType.ENGAGEMENT : EventType.CUSTOM;
        b.plausible = true;
        // Plausible's script sends its own version as 'v'; it is no goal value
        b.hasValue = false;
    }
}
