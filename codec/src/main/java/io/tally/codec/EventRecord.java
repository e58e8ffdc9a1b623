package io.tally.codec;

/**
 * The journal record layout, version 2 (version 1 records are still read: {@link EventRecordDecoder}). Little-endian, written with Agrona buffers, one record per
 * Chronicle Queue excerpt. {@code docs/journal.md} describes it for readers outside Java.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |  version (1)  |  event type   |            flags              |  0
 *  +---------------+---------------+-------------------------------+
 *  |     dropped property count    |           reserved            |  4
 *  +-------------------------------+-------------------------------+
 *  |                 received at, epoch ms (i64)                   |  8
 *  |                 visitor id (i64)                              | 16
 *  |                 session id (i64)                              | 24
 *  |                 revenue, unscaled (i64)                       | 32
 *  |                 goal value, unscaled (i64)                    | 40
 *  |                 engaged seconds, unscaled (i64)               | 48
 *  +---------------+---------------+---------------+---------------+
 *  | revenue scale |  value scale  | seconds scale |  goal weight  | 56
 *  +---------------+---------------+---------------+---------------+
 *  |      revenue currency (3 ASCII bytes)         | prop. count   | 60
 *  +-----------------------------------------------+---------------+
 *  |      goal value currency (3 ASCII bytes)      | scroll depth  | 64
 *  +---------------+-------------------------------+---------------+
 *  | device class  |   country (2 ASCII bytes)     | robot reason  | 68
 *  +---------------+-------------------------------+---------------+
 *  |          event time, epoch ms (i64): receive time, or a trusted ts  | 72
 *  +---------------------------------------------------------------+
 *  |  strings: u16 length + UTF-8 bytes each, in {@link #STRING_FIELDS} order,  | 80
 *  |  then property count x (key, value), same encoding                          |
 *  +-----------------------------------------------------------------------------+
 * </pre>
 * An empty string means absent. Strings are at most 2,000 characters, so a u16 length always fits.
 */
public final class EventRecord
{
    public static final byte VERSION = 2;
    /** The first layout: no audience fields, {@link #V1_STRING_FIELDS} strings before the properties. */
    public static final byte VERSION_1 = 1;

    /**
     * Set in the version byte of a backfilled conversion record: the body is a copy of an earlier event's record (in
     * the layout the low bits name) with the goal fields a goal backfill decided, followed by the journal index (8 bytes)
     * of the event it converts. It is not an event: only readers that ask for them see such records
     * ({@link EventRecordDecoder#wrapWithBackfills}); older builds skip them as a version they do not know.
     */
    public static final int BACKFILL_KIND = 0x80;
    /** Bytes after the properties of a backfilled conversion record: the converted event's journal index. */
    public static final int BACKFILL_TRAILER = 8;

    public static final int VERSION_OFFSET = 0;
    public static final int TYPE_OFFSET = 1;
    public static final int FLAGS_OFFSET = 2;
    public static final int DROPPED_OFFSET = 4;
    public static final int RECEIVED_AT_OFFSET = 8;
    public static final int VISITOR_OFFSET = 16;
    public static final int SESSION_OFFSET = 24;
    public static final int REVENUE_OFFSET = 32;
    public static final int VALUE_OFFSET = 40;
    public static final int SECONDS_OFFSET = 48;
    public static final int REVENUE_SCALE_OFFSET = 56;
    public static final int VALUE_SCALE_OFFSET = 57;
    public static final int SECONDS_SCALE_OFFSET = 58;
    public static final int GOAL_WEIGHT_OFFSET = 59;
    public static final int CURRENCY_OFFSET = 60;
    public static final int PROPERTY_COUNT_OFFSET = 63;
    public static final int VALUE_CURRENCY_OFFSET = 64;
    /** Version 2: the scroll depth, 0 to 100, or {@link #NO_SCROLL_DEPTH}. */
    public static final int SCROLL_DEPTH_OFFSET = 67;
    /** Version 2: one of the {@code DEVICE_} codes. */
    public static final int DEVICE_OFFSET = 68;
    /** Version 2: ISO 3166-1 alpha-2 country, upper case ASCII; zero bytes when unknown. */
    public static final int COUNTRY_OFFSET = 69;
    /** Version 2: 0 for people; else why the event is a robot's ({@code ROBOT_} codes), kept by --keep-bots. */
    public static final int ROBOT_OFFSET = 71;
    public static final int EVENT_TIME_OFFSET = 72;
    public static final int STRINGS_OFFSET = 80;

    public static final int FLAG_REVENUE = 1;
    public static final int FLAG_VALUE = 2;
    public static final int FLAG_SECONDS = 4;
    public static final int FLAG_GOAL = 8;
    /** The visitor's first match of this goal (today: visitor ids are daily). */
    public static final int FLAG_FIRST_CONVERSION = 16;
    /** The event counts as a conversion: a conversion goal, first match or a goal that fires every time. */
    public static final int FLAG_CONVERSION = 32;
    /** The event's session has converted, this event included. */
    public static final int FLAG_SESSION_CONVERTED = 64;

    public static final int NO_SCROLL_DEPTH = 0xFF;

    public static final int DEVICE_UNKNOWN = 0;
    public static final int DEVICE_DESKTOP = 1;
    public static final int DEVICE_MOBILE = 2;
    public static final int DEVICE_TABLET = 3;
    public static final int DEVICE_OTHER = 4;

    public static final int ROBOT_NONE = 0;
    /** A crawler, spider or other declared robot. */
    public static final int ROBOT_CRAWLER = 1;
    /** A headless browser or browser automation. */
    public static final int ROBOT_AUTOMATION = 2;
    /** A referrer on the referrer spam list. */
    public static final int ROBOT_SPAM_REFERRER = 3;

    private static final String[] DEVICE_NAMES = {"", "desktop", "mobile", "tablet", "other"};
    private static final String[] ROBOT_NAMES = {"", "crawler", "automation", "spam_referrer"};

    /** A {@code DEVICE_} code's name as reports and the dump print it; empty for unknown (or a code this build lacks). */
    public static String deviceName(final int device)
    {
        return device >= 0 && device < DEVICE_NAMES.length ? DEVICE_NAMES[device] : "";
    }

    /** A {@code ROBOT_} reason's name as the counters and the dump print it; empty for a person. */
    public static String robotName(final int reason)
    {
        return reason >= 0 && reason < ROBOT_NAMES.length ? ROBOT_NAMES[reason] : "";
    }

    public static final int SITE = 0;
    public static final int NAME = 1;
    public static final int URL = 2;
    public static final int REFERRER = 3;
    public static final int TARGET = 4;
    public static final int TEXT = 5;
    public static final int TITLE = 6;
    public static final int FORM_NAME = 7;
    public static final int FORM_ID = 8;
    public static final int FORM_PLUGIN = 9;
    public static final int LABEL = 10;
    public static final int ACTION = 11;
    public static final int CATEGORY = 12;
    public static final int ASIN = 13;
    public static final int GOAL = 14;
    /** The idempotency key ({@code id}) of a trusted server-side event; empty for browser beacons. */
    public static final int IDEMPOTENCY_KEY = 15;
    /** Version 2: the browser's name, as the User-Agent parser names it; empty when unknown. */
    public static final int BROWSER = 16;
    /** Version 2: the browser's major version. */
    public static final int BROWSER_VERSION = 17;
    /** Version 2: the operating system's name. */
    public static final int OS = 18;
    /** Version 2: the operating system's version. */
    public static final int OS_VERSION = 19;
    /**
     * The string slots a decoder exposes before the properties, whatever the record's version: property
     * {@code p}'s key is slot {@code STRING_FIELDS + 2p}. A version 1 record's audience slots read as empty.
     */
    public static final int STRING_FIELDS = 20;
    /** The strings a version 1 record stores before its properties. */
    public static final int V1_STRING_FIELDS = 16;

    /** Bytes of a record beyond the UTF-8 of its strings: header and length prefixes. */
    public static final int MAX_OVERHEAD = STRINGS_OFFSET + 2 * (STRING_FIELDS + 2 * Beacon.MAX_PROPERTIES);

    private EventRecord()
    {
    }
}
