package io.tally.explore;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.store.UrlPath;
import org.duckdb.DuckDBAppender;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends one journal record as a row of {@link EventSchema}'s columns. Empty strings are NULL (the journal's
 * "absent"); amounts are exact decimals of scale 18, made from the record's unscaled long and scale as a 128-bit
 * integer, never through a double. Runs on the sealer's thread only: Strings are made here, off the request path.
 */
final class EventRows
{
    private static final String[] DEVICES = {null, "desktop", "mobile", "tablet", "other"};
    private static final String[] ROBOTS = {null, "crawler", "automation", "spam_referrer"};
    private static final long[] POWERS = new long[EventSchema.DECIMAL_SCALE + 1];

    static
    {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++)
        {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    private final Map<String, String> props = new LinkedHashMap<>();

    private EventRows()
    {
    }

    static EventRows create()
    {
        return new EventRows();
    }

    /**
     * Appends {@code record}, read at journal {@code index}, as the schema's columns of a row begun here; {@code site}
     * is its site, already read. The caller appends any columns of its own and ends the row.
     */
    void append(final DuckDBAppender appender, final long index, final String site, final EventRecordDecoder record)
        throws SQLException
    {
        appender.beginRow()
            .append(index)
            .append((byte)record.layoutVersion())
            .append(site)
            .appendEpochMicros(record.eventTime() * 1000)
            .appendEpochMicros(record.receivedAt() * 1000)
            .append(record.type().dumpName());
        string(appender, record, EventRecord.NAME);
        final String url = record.string(EventRecord.URL);
        nullable(appender, url);
        nullable(appender, url.isEmpty() ? "" : UrlPath.of(url));
        string(appender, record, EventRecord.REFERRER);
        appender.append(record.visitorId()).append(record.sessionId());
        for (int field = EventRecord.TARGET; field <= EventRecord.ASIN; field++)
        {
            string(appender, record, field);
        }
        final boolean revenue = record.hasFlag(EventRecord.FLAG_REVENUE);
        decimal(appender, revenue, record.revenueUnscaled(), record.revenueScale());
        nullable(appender, revenue ? record.currency() : "");
        appendGoal(appender, record);
        appendAudience(appender, record);
        string(appender, record, EventRecord.IDEMPOTENCY_KEY);
        appendProps(appender, record);
        appender.append((short)record.droppedPropertyCount());
        if (record.isBackfill())
        {
            appender.append(record.backfillOf());
        }
        else
        {
            appender.appendNull();
        }
    }

    private static void appendGoal(final DuckDBAppender appender, final EventRecordDecoder record) throws SQLException
    {
        final boolean goal = record.hasFlag(EventRecord.FLAG_GOAL);
        string(appender, record, EventRecord.GOAL);
        if (goal)
        {
            appender.append((byte)record.goalWeight());
        }
        else
        {
            appender.appendNull();
        }
        appender.append(record.hasFlag(EventRecord.FLAG_FIRST_CONVERSION))
            .append(record.hasFlag(EventRecord.FLAG_CONVERSION))
            .append(record.hasFlag(EventRecord.FLAG_SESSION_CONVERTED));
        decimal(appender, record.hasFlag(EventRecord.FLAG_VALUE), record.valueUnscaled(), record.valueScale());
        nullable(appender, record.hasFlag(EventRecord.FLAG_VALUE) ? record.valueCurrency() : "");
        decimal(appender, record.hasFlag(EventRecord.FLAG_SECONDS), record.secondsUnscaled(), record.secondsScale());
    }

    private static void appendAudience(final DuckDBAppender appender, final EventRecordDecoder record) throws SQLException
    {
        final int depth = record.scrollDepth();
        if (depth < 0)
        {
            appender.appendNull();
        }
        else
        {
            appender.append((byte)depth);
        }
        nullable(appender, label(DEVICES, record.deviceClass()));
        nullable(appender, record.country());
        nullable(appender, label(ROBOTS, record.robotReason()));
        for (int field = EventRecord.BROWSER; field <= EventRecord.OS_VERSION; field++)
        {
            string(appender, record, field);
        }
    }

    private void appendProps(final DuckDBAppender appender, final EventRecordDecoder record) throws SQLException
    {
        final int count = record.propertyCount();
        if (count == 0)
        {
            appender.appendNull();
            return;
        }
        props.clear();
        for (int i = 0; i < count; i++)
        {
            props.put(record.propertyKey(i), record.propertyValue(i));
        }
        appender.append(props);
    }

    /** A code's name; an unknown code (a newer journal's) is written as its number, so it is never lost. */
    private static String label(final String[] names, final int code)
    {
        return code < names.length ? (names[code] == null ? "" : names[code]) : Integer.toString(code);
    }

    /** A string field's UTF-8 bytes, copied straight from the record: no String is decoded and encoded again. */
    private static void string(final DuckDBAppender appender, final EventRecordDecoder record, final int field)
        throws SQLException
    {
        final int length = record.stringLength(field);
        if (length == 0)
        {
            appender.appendNull();
        }
        else
        {
            final byte[] utf8 = new byte[length];
            record.buffer().getBytes(record.stringOffset(field), utf8);
            appender.append(utf8);
        }
    }

    private static void nullable(final DuckDBAppender appender, final String value) throws SQLException
    {
        if (value.isEmpty())
        {
            appender.appendNull();
        }
        else
        {
            appender.append(value);
        }
    }

    /** {@code unscaled} at {@code scale} as a DECIMAL(38,18): the unscaled times 10^(18 - scale), in 128 bits. */
    private static void decimal(final DuckDBAppender appender, final boolean present, final long unscaled, final int scale)
        throws SQLException
    {
        if (!present)
        {
            appender.appendNull();
            return;
        }
        final long factor = POWERS[EventSchema.DECIMAL_SCALE - scale];
        appender.appendDecimal(unscaled * factor, Math.multiplyHigh(unscaled, factor));
    }
}
