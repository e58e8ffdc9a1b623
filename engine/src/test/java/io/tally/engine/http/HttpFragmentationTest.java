package io.tally.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.CharsetUtil;
import io.tally.engine.Engine;
import io.tally.engine.EngineConfig;
import io.tally.engine.site.Site;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests split at every byte offset into two pieces, fed in order through the real pipeline on an
 * {@link EmbeddedChannel}: whatever the split, the answer and the journaled event are the same.
 */
class HttpFragmentationTest
{
    private static final List<String> BODIES = List.of(
        "{\"t\":\"p\",\"u\":\"https://shop.example/pricing?utm_source=news\",\"r\":\"https://news.example/\"}",
        "{\"t\":\"e\",\"n\":\"Caf\\u00e9 \u00fcber\",\"u\":\"https://shop.example/\",\"mk\":[\"city\",\"n\"],\"mv\":[\"M\u00fcnchen \\ud83d\\ude00 \uD83D\uDE00\",42]," +
            "\"ra\":49.99,\"rc\":\"eur\",\"zz\":{\"deep\":[1,[2,{\"x\":\"\\\"\"}]]}}",
        "{\"t\":\"c\",\"u\":\"https://blog.example/review\",\"d\":\"shop.example\",\"h\":\"https://www.amazon.de/dp/B08N5WRWNW\",\"x\":\"Buy now\"}");

    @TempDir
    Path dataDir;
    private Engine engine;

    @BeforeEach
    void start()
    {
        engine = new Engine(EngineConfig.builder(dataDir).ingestRateLimit(0)
            .sites(List.of(new Site("shop.example"))).build());
        // the channel is driven by hand: nothing would resume a beacon held while its new User-Agent is classified
        engine.ingestServices().screening().classifier().prime("split");
        engine.ingestServices().screening().classifier().prime(""); // no User-Agent
    }

    @AfterEach
    void stop()
    {
        engine.close();
    }

    private EmbeddedChannel channel()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        TallyServer.addHttpHandlers(channel.pipeline(), engine.serverServices());
        return channel;
    }

    @Test
    void everySplitOfEveryRequestGivesTheSameEvent()
    {
        final int[] firstRecordOfBody = new int[BODIES.size()];
        int records = 0;
        for (int b = 0; b < BODIES.size(); b++)
        {
            firstRecordOfBody[b] = records;
            final byte[] request = RawHttp.post("/api/event", "application/json", BODIES.get(b), "User-Agent: split");
            for (int split = 1; split < request.length; split++)
            {
                final EmbeddedChannel channel = channel();
                channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(request, 0, split)));
                assertTrue(channel.outboundMessages().isEmpty(), "no answer before the request is whole (split " + split + ")");
                channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(request, split, request.length)));
                final String answer = readAnswer(channel);
                assertTrue(answer.startsWith("HTTP/1.1 202 Accepted"), "split " + split + ": " + answer);
                assertFalse(channel.finish(), "nothing left over");
                records++;
            }
        }
        final List<Map<String, Object>> journal = TestEngine.dump(dataDir);
        assertEquals(records, journal.size());
        for (int b = 0; b < BODIES.size(); b++)
        {
            final int end = b + 1 < BODIES.size() ? firstRecordOfBody[b + 1] : records;
            final Map<String, Object> first = withoutIndexAndTime(journal.get(firstRecordOfBody[b]));
            for (int i = firstRecordOfBody[b]; i < end; i++)
            {
                assertEquals(first, withoutIndexAndTime(journal.get(i)), "record " + i);
            }
        }
        final Map<String, Object> unicode = journal.get(firstRecordOfBody[1]);
        assertEquals("Caf\u00e9 \u00fcber", unicode.get("name"));
        assertEquals(Map.of("city", "M\u00fcnchen \uD83D\uDE00 \uD83D\uDE00", "n", "42"), unicode.get("props"));
        assertEquals(Map.of("amount", "49.99", "currency", "EUR"), unicode.get("revenue"));
        assertEquals("B08N5WRWNW", journal.get(firstRecordOfBody[2]).get("asin"));
    }

    @Test
    void badBodiesAnswerTheSameErrorWhateverTheSplit()
    {
        final byte[] request = RawHttp.post("/api/event", "text/plain", "{\"t\":\"e\",\"u\":\"https://shop.example/\",\"mv\":[null]}");
        for (int split = 1; split < request.length; split++)
        {
            final EmbeddedChannel channel = channel();
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(request, 0, split)));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(request, split, request.length)));
            final String answer = readAnswer(channel);
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request"), answer);
            assertTrue(answer.contains("{\"error\":\"wrong_type\""), answer);
            assertFalse(channel.finish());
        }
        assertTrue(TestEngine.dump(dataDir).isEmpty());
    }

    private static Map<String, Object> withoutIndexAndTime(final Map<String, Object> record)
    {
        final Map<String, Object> copy = new java.util.LinkedHashMap<>(record);
        copy.remove("index");
        copy.remove("ts");
        copy.remove("time");
        copy.remove("ts_iso");
        copy.remove("time_iso");
        copy.remove("session");
        return copy;
    }

    private static String readAnswer(final EmbeddedChannel channel)
    {
        final StringBuilder answer = new StringBuilder();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound())
        {
            final ByteBuf bytes = (ByteBuf)out;
            answer.append(bytes.toString(CharsetUtil.UTF_8));
            bytes.release();
        }
        return answer.toString();
    }
}
