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
    final TextView name = new TextView();
    final TextView url = new TextView();
    final TextView domain = new TextView();
    final TextView referrer = new TextView();
    final TextView target = new TextView();
    final TextView text = new TextView();
    final TextView title = new TextView();
    final TextView formName = new TextView();
    final TextView formId = new TextView();
    final TextView formPlugin = new TextView();
    final TextView label = new TextView();
    final TextView action = new TextView();
    final TextView category = new TextView();

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

    final TextView timestamp = new TextView();
    boolean timestampIsNumber;
    final TextView ip = new TextView();
    final TextView userAgent = new TextView();
    final TextView visitorKey = new TextView();
    final TextView id = new TextView();

    void reset()
    {
        type = null;
        name.reset();
        url.reset();
        domain.reset();
        referrer.reset();
        target.reset();
        text.reset();
        title.reset();
        formName.reset();
        formId.reset();
        formPlugin.reset();
        label.reset();
        action.reset();
        category.reset();
        propKeyCount = 0;
        propValueCount = 0;
        hasRevenue = false;
        hasValue = false;
        hasSeconds = false;
        timestamp.reset();
        timestampIsNumber = false;
        ip.reset();
        userAgent.reset();
        visitorKey.reset();
        id.reset();
    }

    public EventType type()
    {
        return type;
    }

    /** The event name: as sent, or the type's default when the beacon gave none. */
    public TextView name()
    {
        return name;
    }

    public TextView url()
    {
        return url;
    }

    public TextView domain()
    {
        return domain;
    }

    public TextView referrer()
    {
        return referrer;
    }

    public TextView target()
    {
        return target;
    }

    public TextView text()
    {
        return text;
    }

    public TextView title()
    {
        return title;
    }

    public TextView formName()
    {
        return formName;
    }

    public TextView formId()
    {
        return formId;
    }

    public TextView formPlugin()
    {
        return formPlugin;
    }

    public TextView label()
    {
        return label;
    }

    public TextView action()
    {
        return action;
    }

    public TextView category()
    {
        return category;
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
        return timestamp;
    }

    /** Whether {@code ts} was a JSON number (epoch milliseconds) rather than a string (ISO-8601). */
    public boolean timestampIsNumber()
    {
        return timestampIsNumber;
    }

    /** Trusted events only: the client address the visitor id is computed from. */
    public TextView ip()
    {
        return ip;
    }

    /** Trusted events only: the User-Agent the visitor id is computed from. */
    public TextView userAgent()
    {
        return userAgent;
    }

    /** Trusted events only: the caller's own visitor key. */
    public TextView visitorKey()
    {
        return visitorKey;
    }

    /** Trusted events only: the idempotency key. */
    public TextView id()
    {
        return id;
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
