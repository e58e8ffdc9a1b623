package io.tally.store;

import io.tally.codec.BeaconField;
import io.tally.codec.Decimals;
import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.codec.json.Json;

import java.io.PrintStream;
import java.time.Instant;

/**
 * Writes journal records as JSON lines (docs/wire-format.md, "Seeing what was stored"): one object a record,
 * oldest first. Times are epoch milliseconds ({@code ts} received, {@code time} the event's own) with their
 * ISO-8601 UTC twins beside them ({@code ts_iso}, {@code time_iso}) for people reading the dump. A cold path: it
 * builds strings freely.
 */
public final class JournalDump
{
    private static final BeaconField[] RECORDED = BeaconField.recordedFields();

    private final StringBuilder line = new StringBuilder(512);

    /** Dumps up to {@code limit} records from {@code fromIndex} (or the start when negative). */
    public long dump(final Journal journal, final long fromIndex, final long limit, final PrintStream out)
    {
        final long[] written = {0};
        try (JournalReader reader = journal.newReader().withBackfills())
        {
            if (fromIndex >= 0 && !reader.moveTo(fromIndex))
            {
                return 0;
            }
            while (written[0] < limit)
            {
                final int batch = (int)Math.min(1024, limit - written[0]);
                final int read = reader.read((index, record) -> out.println(format(index, record)), batch);
                if (read == 0)
                {
                    break;
                }
                written[0] += read;
            }
        }
        out.flush();
        return written[0];
    }

    /** One record as a JSON object on one line. */
    public String format(final long index, final EventRecordDecoder record)
    {
        final StringBuilder out = line;
        out.setLength(0);
        out.append("{\"index\":").append(index);
        if (record.isBackfill())
        {
            // not an event: the backfilled conversion of the event at that index
            out.append(",\"backfill_of\":").append(record.backfillOf());
        }
        out.append(",\"ts\":").append(record.receivedAt());
        field(out, "ts_iso", Instant.ofEpochMilli(record.receivedAt()).toString());
        out.append(",\"time\":").append(record.eventTime());
        field(out, "time_iso", Instant.ofEpochMilli(record.eventTime()).toString());
        field(out, "site", record.string(EventRecord.SITE));
        field(out, "visitor", Long.toUnsignedString(record.visitorId()));
        field(out, "session", Long.toUnsignedString(record.sessionId()));
        field(out, "type", record.type().dumpName());
        appendBeaconFields(out, record);
        optionalField(out, "asin", record.string(EventRecord.ASIN));
        optionalField(out, "id", record.string(EventRecord.IDEMPOTENCY_KEY));
        optionalField(out, "country", record.country());
        appendProps(out, record);
        appendRevenue(out, record);
        appendGoal(out, record);
        if (record.hasFlag(EventRecord.FLAG_SECONDS))
        {
            out.append(",\"seconds\":\"");
            Decimals.appendTo(out, record.secondsUnscaled(), record.secondsScale()).append('"');
        }
        if (record.scrollDepth() >= 0)
        {
            out.append(",\"scroll_depth\":").append(record.scrollDepth());
        }
        if (record.droppedPropertyCount() > 0)
        {
            out.append(",\"dropped_props\":").append(record.droppedPropertyCount());
        }
        appendAudience(out, record);
        return out.append('}').toString();
    }

    /** What the User-Agent said, when known: browser, system, their versions, device; and a kept robot's reason. */
    private static void appendAudience(final StringBuilder out, final EventRecordDecoder record)
    {
        optionalField(out, "browser", record.string(EventRecord.BROWSER));
        optionalField(out, "browser_version", record.string(EventRecord.BROWSER_VERSION));
        optionalField(out, "os", record.string(EventRecord.OS));
        optionalField(out, "os_version", record.string(EventRecord.OS_VERSION));
        optionalField(out, "device", EventRecord.deviceName(record.deviceClass()));
        optionalField(out, "robot", EventRecord.robotName(record.robotReason()));
    }

    /** The beacon's recorded text fields in record order, the URL followed by its path. */
    private static void appendBeaconFields(final StringBuilder out, final EventRecordDecoder record)
    {
        for (final BeaconField beaconField : RECORDED)
        {
            final String value = record.string(beaconField);
            if (beaconField.required())
            {
                field(out, beaconField.dumpName(), value);
            }
            else
            {
                optionalField(out, beaconField.dumpName(), value);
            }
            if (beaconField == BeaconField.URL)
            {
                field(out, "path", UrlPath.of(value));
            }
        }
    }

    private static void appendProps(final StringBuilder out, final EventRecordDecoder record)
    {
        out.append(",\"props\":{");
        for (int i = 0; i < record.propertyCount(); i++)
        {
            if (i > 0)
            {
                out.append(',');
            }
            Json.writeString(out, record.propertyKey(i));
            out.append(':');
            Json.writeString(out, record.propertyValue(i));
        }
        out.append('}');
    }

    private static void appendRevenue(final StringBuilder out, final EventRecordDecoder record)
    {
        out.append(",\"revenue\":");
        if (!record.hasFlag(EventRecord.FLAG_REVENUE))
        {
            out.append("null");
            return;
        }
        out.append("{\"amount\":\"");
        Decimals.appendTo(out, record.revenueUnscaled(), record.revenueScale());
        out.append("\",\"currency\":\"").append(record.currency()).append("\"}");
    }

    private static void appendGoal(final StringBuilder out, final EventRecordDecoder record)
    {
        out.append(",\"goal\":");
        if (record.hasFlag(EventRecord.FLAG_GOAL))
        {
            Json.writeString(out, record.string(EventRecord.GOAL));
            out.append(",\"weight\":").append(record.goalWeight());
            out.append(",\"first\":").append(record.hasFlag(EventRecord.FLAG_FIRST_CONVERSION));
            out.append(",\"conversion\":").append(record.hasFlag(EventRecord.FLAG_CONVERSION));
        }
        else
        {
            out.append("null");
        }
        out.append(",\"value\":");
        if (record.hasFlag(EventRecord.FLAG_VALUE))
        {
            out.append('"');
            Decimals.appendTo(out, record.valueUnscaled(), record.valueScale()).append('"');
            if (!record.valueCurrency().isEmpty())
            {
                out.append(",\"value_currency\":\"").append(record.valueCurrency()).append('"');
            }
        }
        else
        {
            out.append("null");
        }
        out.append(",\"session_converted\":").append(record.hasFlag(EventRecord.FLAG_SESSION_CONVERTED));
    }

    private static void field(final StringBuilder out, final String key, final String value)
    {
        out.append(",\"").append(key).append("\":");
        Json.writeString(out, value);
    }

    private static void optionalField(final StringBuilder out, final String key, final String value)
    {
        if (!value.isEmpty())
        {
            field(out, key, value);
        }
    }
}
