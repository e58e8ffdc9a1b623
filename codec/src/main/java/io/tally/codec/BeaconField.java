package io.tally.codec;

/**
 * The text fields of a beacon, declared once: the keys a body gives each under, where the journal record
 * keeps it and what the dump calls it. The decoder's key table, {@link Beacon}'s storage, the record
 * encoder and the journal dump all read this list, so a new field is one line here (and, if recorded, a
 * string slot of {@link EventRecord}).
 * <p>
 * Recorded fields are declared first, in the order of their record slots, because that order is the
 * record's byte layout; the static check below refuses any other.
 */
public enum BeaconField
{
    NAME("n", "name", false, EventRecord.NAME, "name"),
    URL("u", "url", false, EventRecord.URL, "url"),
    REFERRER("r", "referrer", false, EventRecord.REFERRER, "referrer"),
    TARGET("h", null, false, EventRecord.TARGET, "target"),
    TEXT("x", null, false, EventRecord.TEXT, "text"),
    TITLE("ti", null, false, EventRecord.TITLE, "title"),
    FORM_NAME("fn", null, false, EventRecord.FORM_NAME, "form_name"),
    FORM_ID("fi", null, false, EventRecord.FORM_ID, "form_id"),
    FORM_PLUGIN("fp", null, false, EventRecord.FORM_PLUGIN, "form_plugin"),
    LABEL("el", null, false, EventRecord.LABEL, "label"),
    ACTION("ea", null, false, EventRecord.ACTION, "action"),
    CATEGORY("ec", null, false, EventRecord.CATEGORY, "category"),
    /** It names the site, and the record keeps the site it resolves to instead. */
    DOMAIN("d", "domain", false, BeaconField.NOT_RECORDED, null),
    // trusted server-side fields: read only from a trusted caller, used to enrich the event, not kept as text
    TIMESTAMP("ts", null, true, BeaconField.NOT_RECORDED, null),
    IP("ip", null, true, BeaconField.NOT_RECORDED, null),
    USER_AGENT("ua", null, true, BeaconField.NOT_RECORDED, null),
    VISITOR_KEY("vid", null, true, BeaconField.NOT_RECORDED, null),
    /** Kept, but as the event's idempotency key, which the engine sets from it. */
    ID("id", null, true, BeaconField.NOT_RECORDED, null);

    /** {@link #recordSlot()} of a field the record does not keep. */
    public static final int NOT_RECORDED = -1;
    /** How many there are: the size of arrays indexed by {@link #ordinal()}. */
    public static final int COUNT = values().length;
    /** The fields a record keeps, in the order of their string slots. */
    static final BeaconField[] RECORDED = recorded();

    private final String key;
    private final String plausibleKey;
    private final boolean trusted;
    private final int recordSlot;
    private final String dumpName;
    private final String mustBeString;

    BeaconField(final String key, final String plausibleKey, final boolean trusted, final int recordSlot,
        final String dumpName)
    {
        this.key = key;
        this.plausibleKey = plausibleKey;
        this.trusted = trusted;
        this.recordSlot = recordSlot;
        this.dumpName = dumpName;
        this.mustBeString = "'" + key + "' must be a string";
    }

    /** The key of the beacon's wire format, as docs/wire-format.md names it. */
    public String key()
    {
        return key;
    }

    /** The key Plausible's Events API gives it under (docs/plausible.md), or null. */
    public String plausibleKey()
    {
        return plausibleKey;
    }

    /** Only a trusted (server-side) caller may send it; for a browser it is an unknown key. */
    public boolean trusted()
    {
        return trusted;
    }

    /** Its string slot in {@link EventRecord}, or {@link #NOT_RECORDED}. */
    public int recordSlot()
    {
        return recordSlot;
    }

    /** The key of the journal dump's JSON, or null when not recorded. */
    public String dumpName()
    {
        return dumpName;
    }

    /** Every accepted beacon has it (the decoder gives a missing name the type's default). */
    public boolean required()
    {
        return this == NAME || this == URL;
    }

    /** The error detail for a value that is no string, made once. */
    String mustBeString()
    {
        return mustBeString;
    }

    /** The recorded fields, in slot order: a copy, for callers outside the codec. */
    public static BeaconField[] recordedFields()
    {
        return RECORDED.clone();
    }

    private static BeaconField[] recorded()
    {
        int count = 0;
        for (final BeaconField field : values())
        {
            if (field.recordSlot != NOT_RECORDED)
            {
                // the record's layout is the slot order: a field out of place would move every string after it
                if (field.recordSlot != EventRecord.NAME + count || field.ordinal() != count)
                {
                    throw new ExceptionInInitializerError(field + " is out of its record slot's order");
                }
                count++;
            }
        }
        final BeaconField[] fields = new BeaconField[count];
        System.arraycopy(values(), 0, fields, 0, count);
        return fields;
    }

}
