package io.tally.explore;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.store.UrlPath;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A record's fields as text, once from the journal's decoder and once from the store's columns, to compare. */
final class ExpectedRow
{
    private static final String[] DEVICES = {null, "desktop", "mobile", "tablet", "other"};
    private static final String[] ROBOTS = {null, "crawler", "automation", "spam_referrer"};

    private ExpectedRow()
    {
    }

    static List<String> of(final EventRecordDecoder record)
    {
        final List<String> row = new ArrayList<>();
        row.add(Integer.toString(record.version()));
        row.add(record.string(EventRecord.SITE));
        row.add(Long.toString(record.eventTime()));
        row.add(Long.toString(record.receivedAt()));
        row.add(record.type().dumpName());
        row.add(text(record.string(EventRecord.NAME)));
        final String url = record.string(EventRecord.URL);
        row.add(text(url));
        row.add(url.isEmpty() ? null : UrlPath.of(url));
        row.add(text(record.string(EventRecord.REFERRER)));
        row.add(Long.toString(record.visitorId()));
        row.add(Long.toString(record.sessionId()));
        for (int field = EventRecord.TARGET; field <= EventRecord.ASIN; field++)
        {
            row.add(text(record.string(field)));
        }
        final boolean revenue = record.hasFlag(EventRecord.FLAG_REVENUE);
        row.add(revenue ? plain(BigDecimal.valueOf(record.revenueUnscaled(), record.revenueScale())) : null);
        row.add(revenue ? record.currency() : null);
        final boolean goal = record.hasFlag(EventRecord.FLAG_GOAL);
        row.add(text(record.string(EventRecord.GOAL)));
        row.add(goal ? Integer.toString(record.goalWeight()) : null);
        row.add(Boolean.toString(record.hasFlag(EventRecord.FLAG_FIRST_CONVERSION)));
        row.add(Boolean.toString(record.hasFlag(EventRecord.FLAG_CONVERSION)));
        row.add(Boolean.toString(record.hasFlag(EventRecord.FLAG_SESSION_CONVERTED)));
        final boolean value = record.hasFlag(EventRecord.FLAG_VALUE);
        row.add(value ? plain(BigDecimal.valueOf(record.valueUnscaled(), record.valueScale())) : null);
        row.add(value ? text(record.valueCurrency()) : null);
        row.add(record.hasFlag(EventRecord.FLAG_SECONDS) ?
            plain(BigDecimal.valueOf(record.secondsUnscaled(), record.secondsScale())) : null);
        row.add(record.scrollDepth() < 0 ? null : Integer.toString(record.scrollDepth()));
        row.add(DEVICES[record.deviceClass()]);
        row.add(text(record.country()));
        row.add(ROBOTS[record.robotReason()]);
        for (int field = EventRecord.BROWSER; field <= EventRecord.OS_VERSION; field++)
        {
            row.add(text(record.string(field)));
        }
        row.add(text(record.string(EventRecord.IDEMPOTENCY_KEY)));
        row.add(Integer.toString(record.droppedPropertyCount()));
        final StringBuilder props = new StringBuilder();
        for (int i = 0; i < record.propertyCount(); i++)
        {
            props.append(i == 0 ? "" : ";").append(record.propertyKey(i)).append('=').append(record.propertyValue(i));
        }
        row.add(props.length() == 0 ? null : props.toString());
        return row;
    }

    /** The store's rows by journal index, each column as text the way {@link #of} makes it. */
    static Map<Long, List<String>> read(final ResultSet rows) throws SQLException
    {
        final Map<Long, List<String>> out = new TreeMap<>();
        final int columns = rows.getMetaData().getColumnCount();
        while (rows.next())
        {
            final List<String> row = new ArrayList<>();
            for (int column = 2; column <= columns; column++)
            {
                final Object value = rows.getObject(column);
                if (value instanceof BigDecimal decimal)
                {
                    row.add(plain(decimal));
                }
                else if (value instanceof java.sql.Timestamp || value instanceof java.time.LocalDateTime)
                {
                    row.add(Long.toString(rows.getObject(column, java.time.LocalDateTime.class)
                        .toInstant(java.time.ZoneOffset.UTC).toEpochMilli()));
                }
                else
                {
                    row.add(value == null ? null : value.toString());
                }
            }
            out.put(rows.getLong(1), row);
        }
        return out;
    }

    private static String text(final String value)
    {
        return value.isEmpty() ? null : value;
    }

    private static String plain(final BigDecimal value)
    {
        return value.stripTrailingZeros().toPlainString();
    }
}
