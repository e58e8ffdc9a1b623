package io.tally.codec;

/**
 * One decoded beacon: a reusable flyweight whose text fields are {@link TextView}s over the request body
 * (or the decoder's scratch buffer for strings that had escapes). Numbers are kept exact: revenue, the goal
 * value and engagement seconds as an unscaled {@code long} and a decimal scale, never a {@code double}.
 * <p>
 * Valid until the next decode into it or until the body is released.
 */
public final class Beacon
{
    /** The most properties a beacon keeps; the rest are dropped and counted. */
    public static final int MAX_PROPERTIES = 30;
    /** Every string value is cut to this many UTF-16 characters, never inside a surrogate pair. */
    public static final int MAX_VALUE_CHARS = 2000;
    /** Event names longer than this are refused. */
    public static final int MAX_NAME_CHARS = 120;
    /** Property keys longer than this are refused. */
    public static final int MAX_KEY_CHARS = 300;

    EventType type;
    /** The text fields, indexed by {@link BeaconField#ordinal()}. */
    final TextView[] texts = newViews(BeaconField.COUNT);

    final TextView[] propKeys = newViews(MAX_PROPERTIES);
    final TextView[] propValues = newViews(MAX_PROPERTIES);
    int propKeyCount;
    int propValueCount;

    boolean hasRevenue;
    long revenueUnscaled;
    int revenueScale;
    final byte[] currency = new byte[3];

    boolean hasValue;
    long valueUnscaled;
    int valueScale;

    boolean hasSeconds;
    long secondsUnscaled;
    int secondsScale;

    boolean timestampIsNumber;

    /** How far down the page the visitor scrolled, 0 to 100 percent; {@link #NO_SCROLL_DEPTH} when not sent. */
    int scrollDepth = NO_SCROLL_DEPTH;

    public static final int NO_SCROLL_DEPTH = -1;

    /** The body had no {@code t}: Plausible's Events API or script (docs/plausible.md). */
    boolean plausible;
    /** What the decoder dropped from this event, by reason. */
    final DroppedFields dropped = new DroppedFields();

    void reset()
    {
        type = null;
        for (final TextView text : texts)
        {
            text.reset();
        }
        propKeyCount = 0;
        propValueCount = 0;
        hasRevenue = false;
        hasValue = false;
        hasSeconds = false;
        timestampIsNumber = false;
        scrollDepth = NO_SCROLL_DEPTH;
        plausible = false;
        dropped.clear();
    }

    /** Whether the body was Plausible's (no {@code t}, a name): its own rules apply (docs/plausible.md). */
    public boolean isPlausible()
    {
        return plausible;
    }

    /**
     * The parts of the body not kept, by reason (properties past the 30th among them): the event itself is
     * accepted. Valid until the next decode.
     */
    public DroppedFields dropped()
    {
        return dropped;
    }

    /** The scroll depth of an engagement event, 0 to 100; {@link #NO_SCROLL_DEPTH} when the beacon had none. */
    public int scrollDepth()
    {
        return scrollDepth;
    }

    /** The text field {@code field}: absent ({@link TextView#isPresent()} false) when the beacon had none. */
    public TextView field(final BeaconField field)
    {
        return texts[field.ordinal()];
    }

    public EventType type()
    {
        return type;
    }

    /** The event name: as sent, or the type's default when the beacon gave none. */
    public TextView name()
    {
        return texts[BeaconField.NAME.ordinal()];
    }

    public TextView url()
    {
        return texts[BeaconField.URL.ordinal()];
    }

    public TextView domain()
    {
        return texts[BeaconField.DOMAIN.ordinal()];
    }

    public TextView referrer()
    {
        return texts[BeaconField.REFERRER.ordinal()];
    }

    public TextView target()
    {
        return texts[BeaconField.TARGET.ordinal()];
    }

    public TextView text()
    {
        return texts[BeaconField.TEXT.ordinal()];
    }

    public TextView title()
    {
        return texts[BeaconField.TITLE.ordinal()];
    }

    public TextView formName()
    {
        return texts[BeaconField.FORM_NAME.ordinal()];
    }

    public TextView formId()
    {
        return texts[BeaconField.FORM_ID.ordinal()];
    }

    public TextView formPlugin()
    {
        return texts[BeaconField.FORM_PLUGIN.ordinal()];
    }

    public TextView label()
    {
        return texts[BeaconField.LABEL.ordinal()];
    }

    public TextView action()
    {
        return texts[BeaconField.ACTION.ordinal()];
    }

    public TextView category()
    {
        return texts[BeaconField.CATEGORY.ordinal()];
    }

    /** Properties kept (at most {@link #MAX_PROPERTIES}). */
    public int propertyCount()
    {
        return Math.min(propKeyCount, MAX_PROPERTIES);
    }

    /** Properties sent past {@link #MAX_PROPERTIES} and dropped. */
    public int droppedPropertyCount()
    {
        return Math.max(0, propKeyCount - MAX_PROPERTIES);
    }

    public TextView propertyKey(final int index)
    {
        return propKeys[index];
    }

    public TextView propertyValue(final int index)
    {
        return propValues[index];
    }

    public boolean hasRevenue()
    {
        return hasRevenue;
    }

    public long revenueUnscaled()
    {
        return revenueUnscaled;
    }

    public int revenueScale()
    {
        return revenueScale;
    }

    /** ISO 4217 code, upper case, three ASCII bytes; meaningful only with {@link #hasRevenue()}. */
    public byte currencyByte(final int index)
    {
        return currency[index];
    }

    public boolean hasValue()
    {
        return hasValue;
    }

    public long valueUnscaled()
    {
        return valueUnscaled;
    }

    public int valueScale()
    {
        return valueScale;
    }

    public boolean hasSeconds()
    {
        return hasSeconds;
    }

    public long secondsUnscaled()
    {
        return secondsUnscaled;
    }

    public int secondsScale()
    {
        return secondsScale;
    }

    /** Trusted events only: {@code ts}, as its JSON text (see {@link #timestampIsNumber()}). */
    public TextView timestamp()
    {
        return texts[BeaconField.TIMESTAMP.ordinal()];
    }

    /** Whether {@code ts} was a JSON number (epoch milliseconds) rather than a string (ISO-8601). */
    public boolean timestampIsNumber()
    {
        return timestampIsNumber;
    }

    /** Trusted events only: the client address the visitor id is computed from. */
    public TextView ip()
    {
        return texts[BeaconField.IP.ordinal()];
    }

    /** Trusted events only: the User-Agent the visitor id is computed from. */
    public TextView userAgent()
    {
        return texts[BeaconField.USER_AGENT.ordinal()];
    }

    /** Trusted events only: the caller's own visitor key. */
    public TextView visitorKey()
    {
        return texts[BeaconField.VISITOR_KEY.ordinal()];
    }

    /** Trusted events only: the idempotency key. */
    public TextView id()
    {
        return texts[BeaconField.ID.ordinal()];
    }

    private static TextView[] newViews(final int count)
    {
        final TextView[] views = new TextView[count];
        for (int i = 0; i < count; i++)
        {
            views[i] = new TextView();
        }
        return views;
    }
}
