package io.tally.codec;

/**
 * The event types of the beacon's {@code t} field, with their journal code and the name an event of
 * that type gets when the beacon gives none.
 */
public enum EventType
{
    PAGEVIEW((byte)'p', "pageview", "pageview"),
    CUSTOM((byte)'e', "custom", null),
    CLICK((byte)'c', "click", "outbound_click"),
    FORM((byte)'f', "form", "form_submit"),
    DOWNLOAD((byte)'d', "download", "file_download"),
    ENGAGEMENT((byte)'x', "engagement", "engagement");

    private static final EventType[] VALUES = values();
    private static final EventType[] BY_WIRE_CODE = new EventType[128];

    static
    {
        for (final EventType type : VALUES)
        {
            BY_WIRE_CODE[type.wireCode] = type;
        }
    }

    private final byte wireCode;
    private final String dumpName;
    private final String defaultName;
    private final byte[] defaultNameBytes;

    EventType(final byte wireCode, final String dumpName, final String defaultName)
    {
        this.wireCode = wireCode;
        this.dumpName = dumpName;
        this.defaultName = defaultName;
        this.defaultNameBytes = defaultName == null ? null : defaultName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The name used in the journal dump and the stats API. */
    public String dumpName()
    {
        return dumpName;
    }

    /** The event name a beacon of this type gets without {@code n}; null for custom events, which need one. */
    public String defaultName()
    {
        return defaultName;
    }

    byte[] defaultNameBytes()
    {
        return defaultNameBytes;
    }

    /** The single character a beacon's {@code t} gives this type as. */
    public char wireCode()
    {
        return (char)wireCode;
    }

    public byte code()
    {
        return (byte)ordinal();
    }

    public static EventType fromCode(final int code)
    {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }

    /** The type for the single wire character {@code c}, or null when no type has it. */
    public static EventType fromWire(final int c)
    {
        return c >= 0 && c < BY_WIRE_CODE.length ? BY_WIRE_CODE[c] : null;
    }
}
