package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Helpers shared by the codec tests: bodies, a full textual snapshot of a decode, the spec vectors. */
final class Fixtures
{
    static final String EMOJI = "\uD83D\uDE00";
    static final String EMOJI_ESCAPED = "\\ud83d\\ude00";

    private Fixtures()
    {
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String repeat(final String text, final int times)
    {
        return text.repeat(times);
    }

    /** Concatenates byte arrays, so bodies can hold bytes that are not valid UTF-8. */
    static byte[] bytes(final Object... parts)
    {
        final List<byte[]> arrays = new ArrayList<>();
        int length = 0;
        for (final Object part : parts)
        {
            final byte[] array;
            if (part instanceof String)
            {
                array = utf8((String)part);
            }
            else if (part instanceof byte[])
            {
                array = (byte[])part;
            }
            else if (part instanceof int[])
            {
                final int[] ints = (int[])part;
                array = new byte[ints.length];
                for (int i = 0; i < ints.length; i++)
                {
                    array[i] = (byte)ints[i];
                }
            }
            else
            {
                throw new IllegalArgumentException(String.valueOf(part));
            }
            arrays.add(array);
            length += array.length;
        }
        final byte[] out = new byte[length];
        int at = 0;
        for (final byte[] array : arrays)
        {
            System.arraycopy(array, 0, out, at, array.length);
            at += array.length;
        }
        return out;
    }

    /** A beacon of type {@code t} with name and URL around {@code extra} members (which start with a comma). */
    static String custom(final String extra)
    {
        return "{\"t\":\"e\",\"n\":\"Ev\",\"u\":\"https://shop.example/\"" + extra + "}";
    }

    static String pageview(final String extra)
    {
        return "{\"t\":\"p\",\"u\":\"https://shop.example/\"" + extra + "}";
    }

    /** {@code "mk":[...],"mv":[...]} with {@code count} properties k0..kN / v0..vN, starting with a comma. */
    static String properties(final int count)
    {
        final StringBuilder keys = new StringBuilder(",\"mk\":[");
        final StringBuilder values = new StringBuilder(",\"mv\":[");
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                keys.append(',');
                values.append(',');
            }
            keys.append("\"k").append(i).append('"');
            values.append("\"v").append(i).append('"');
        }
        return keys.append(']').append(values).append(']').toString();
    }

    /**
     * Everything a decode produced, as text: the outcome, the error detail and offset, and every field of
     * the beacon. Two decodes of the same body must give equal snapshots whatever buffer held the body.
     */
    static String snapshot(final Outcome outcome, final BeaconDecoder decoder, final Beacon beacon)
    {
        final StringBuilder out = new StringBuilder(256);
        out.append("outcome=").append(outcome).append('\n');
        out.append("error=").append(decoder.error()).append('\n');
        out.append("detail=").append(decoder.errorDetail()).append('\n');
        out.append("offset=").append(decoder.errorOffset()).append('\n');
        out.append("type=").append(beacon.type()).append('\n');
        text(out, "name", beacon.name());
        text(out, "url", beacon.url());
        text(out, "domain", beacon.domain());
        text(out, "referrer", beacon.referrer());
        text(out, "target", beacon.target());
        text(out, "text", beacon.text());
        text(out, "title", beacon.title());
        text(out, "formName", beacon.formName());
        text(out, "formId", beacon.formId());
        text(out, "formPlugin", beacon.formPlugin());
        text(out, "label", beacon.label());
        text(out, "action", beacon.action());
        text(out, "category", beacon.category());
        out.append("properties=").append(beacon.propertyCount());
        out.append(" dropped=").append(beacon.droppedPropertyCount()).append('\n');
        for (int i = 0; i < beacon.propertyCount(); i++)
        {
            text(out, "key" + i, beacon.propertyKey(i));
            text(out, "value" + i, beacon.propertyValue(i));
        }
        out.append("revenue=");
        if (beacon.hasRevenue())
        {
            out.append(beacon.revenueUnscaled()).append('/').append(beacon.revenueScale()).append(' ')
                .append((char)beacon.currencyByte(0)).append((char)beacon.currencyByte(1))
                .append((char)beacon.currencyByte(2));
        }
        out.append("\nvalue=");
        if (beacon.hasValue())
        {
            out.append(beacon.valueUnscaled()).append('/').append(beacon.valueScale());
        }
        out.append("\nseconds=");
        if (beacon.hasSeconds())
        {
            out.append(beacon.secondsUnscaled()).append('/').append(beacon.secondsScale());
        }
        return out.append('\n').toString();
    }

    private static void text(final StringBuilder out, final String label, final TextView view)
    {
        out.append(label).append('=');
        if (view.isPresent())
        {
            Json.writeString(out, view.toString());
        }
        else
        {
            out.append("<absent>");
        }
        out.append('\n');
    }

    /** Decodes {@code body} from a plain heap buffer: the reference every other buffer kind must match. */
    static String referenceSnapshot(final byte[] body)
    {
        final BeaconDecoder decoder = new BeaconDecoder();
        final Beacon beacon = new Beacon();
        final ByteBuf buffer = Unpooled.wrappedBuffer(body);
        try
        {
            return snapshot(decoder.decode(buffer, beacon), decoder, beacon);
        }
        finally
        {
            buffer.release();
        }
    }

    /** The lines of {@code vectors/beacons.jsonl}, parsed with the codec's own {@link Json}. */
    static List<Map<String, Object>> vectors()
    {
        try (InputStream in = Fixtures.class.getResourceAsStream("/vectors/beacons.jsonl"))
        {
            if (in == null)
            {
                throw new IllegalStateException("vectors/beacons.jsonl is not on the test class path");
            }
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            final List<Map<String, Object>> vectors = new ArrayList<>();
            for (final String line : text.split("\n"))
            {
                if (!line.isBlank())
                {
                    vectors.add(Json.parseObject(line));
                }
            }
            return vectors;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
