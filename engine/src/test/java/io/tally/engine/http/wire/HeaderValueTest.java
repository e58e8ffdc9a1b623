package io.tally.engine.http.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.engine.identity.DailySalt;
import io.tally.engine.identity.IpAddress;
import io.tally.engine.identity.VisitorIds;
import io.tally.store.state.StateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A header value over the connection's reused bytes reads as the String Netty's decoder made of the same bytes. */
class HeaderValueTest
{
    private static final long T0 = 20_000 * 86_400_000L + 3_600_000L;
    private static final byte[] SHOP = "shop.example".getBytes(StandardCharsets.UTF_8);
    /** Netty's decoder made a char of each byte (ISO-8859-1): a UTF-8 agent's bytes above 0x7F each became one. */
    private static final String AGENT = "Mozilla/5.0 (X11) caf\u00c3\u00a9 \u00ff\u0080 \"q\"";

    @TempDir
    Path dir;

    @Test
    void aUserAgentViewGivesTheVisitorIdItsStringGave()
    {
        final VisitorIds ids = new VisitorIds(new DailySalt(new StateFiles(dir), T0, Runnable::run));
        final IpAddress client = new IpAddress();
        client.parse("198.51.100.7");
        final HeaderValue view = value(" " + AGENT + " ", 1, AGENT.length() + 1);
        assertEquals(AGENT, view.toString());
        assertEquals(ids.visitorId(T0, SHOP, client, AGENT), ids.visitorId(T0, SHOP, client, view));
        final String longer = AGENT.repeat(4);
        final HeaderValue reused = value("short", 0, 5);
        reused.set(Unpooled.copiedBuffer(longer, StandardCharsets.ISO_8859_1), 0, longer.length());
        assertEquals(ids.visitorId(T0, SHOP, client, longer), ids.visitorId(T0, SHOP, client, reused),
            "a value grown past its first array reads the same");
    }

    @Test
    void aValueNotSentIsNullToTheChecks()
    {
        final HeaderValue value = value("x", 0, 1);
        value.clear();
        assertFalse(value.isPresent());
        assertNull(value.orNull());
        assertNull(value.stringOrNull());
    }

    @Test
    void aValueIsWrittenAsItsBytes()
    {
        final ByteBuf out = Unpooled.buffer();
        value(AGENT, 0, AGENT.length()).writeTo(out);
        assertEquals(AGENT, out.toString(StandardCharsets.ISO_8859_1));
    }

    private static HeaderValue value(final String text, final int from, final int to)
    {
        final HeaderValue value = new HeaderValue();
        value.set(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1), from, to);
        return value;
    }
}
