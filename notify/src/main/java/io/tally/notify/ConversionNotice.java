package io.tally.notify;

import io.tally.codec.Decimals;
import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.codec.json.Json;
import io.tally.engine.site.Site;
import io.tally.store.rollup.day.Source;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a receiver is told about one conversion, read from its journal record: the webhook's JSON body and the
 * email's text. Made on the notification tailer's thread, never on the request path.
 *
 * @param eventId the record's journal index, the same for every delivery of it (receivers deduplicate on it:
 *                delivery is at least once).
 */
record ConversionNotice(long eventId, String goal, String site, long eventTime, String value, String valueCurrency,
    String revenue, String revenueCurrency, String page, String event, String[] source)
{
    static ConversionNotice of(final long index, final EventRecordDecoder record)
    {
        final boolean hasValue = record.hasFlag(EventRecord.FLAG_VALUE);
        final boolean hasRevenue = record.hasFlag(EventRecord.FLAG_REVENUE);
        final String url = record.string(EventRecord.URL);
        return new ConversionNotice(index, record.string(EventRecord.GOAL), record.string(EventRecord.SITE),
            record.eventTime(),
            hasValue ? Decimals.format(record.valueUnscaled(), record.valueScale()) : null,
            hasValue ? record.valueCurrency() : null,
            hasRevenue ? Decimals.format(record.revenueUnscaled(), record.revenueScale()) : null,
            hasRevenue ? record.currency() : null,
            url, record.string(EventRecord.NAME), Source.of(url, record.string(EventRecord.REFERRER)));
    }

    /**
     * The webhook body: {@code event_id}, {@code goal}, {@code site}, {@code time} (ISO-8601, UTC), {@code ts}
     * (epoch ms), {@code value} and {@code revenue} ({@code {"amount":"49.99","currency":"USD"}} or null),
     * {@code page}, {@code event} and {@code source} (referrer domain and UTM parameters).
     */
    String json()
    {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_id", Long.toString(eventId));
        body.put("goal", goal);
        body.put("site", site);
        body.put("time", Instant.ofEpochMilli(eventTime).toString());
        body.put("ts", eventTime);
        body.put("value", money(value, valueCurrency));
        body.put("revenue", money(revenue, revenueCurrency));
        body.put("page", page);
        body.put("event", event);
        final Map<String, Object> from = new LinkedHashMap<>();
        for (int i = 0; i < Source.DIMENSIONS.length; i++)
        {
            from.put(Source.DIMENSIONS[i], source[i]);
        }
        body.put("source", from);
        return Json.write(body);
    }

    String emailSubject()
    {
        return "[Tally] " + goal + " converted on " + site;
    }

    String emailText()
    {
        return "Goal:    " + goal + "\n" +
            "Site:    " + site + "\n" +
            "Time:    " + Instant.ofEpochMilli(eventTime) + "\n" +
            "Value:   " + (value == null ? "-" : value + " " + valueCurrency) + "\n" +
            "Revenue: " + (revenue == null ? "-" : revenue + " " + revenueCurrency) + "\n" +
            "Page:    " + page + "\n" +
            "Source:  " + source[0] + (Source.NONE.equals(source[1]) ? "" : " (utm_source " + source[1] + ")") + "\n" +
            "Event:   " + event + " (id " + eventId + ")\n";
    }

    private static Map<String, Object> money(final String amount, final String currency)
    {
        if (amount == null)
        {
            return null;
        }
        final Map<String, Object> money = new LinkedHashMap<>();
        money.put("amount", amount);
        money.put("currency", currency);
        return money;
    }
}
