package io.tally.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tally.engine.Engine;
import io.tally.engine.EngineConfig;
import io.tally.engine.site.Site;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answers to what the request reader decides, through the real pipeline on an {@link EmbeddedChannel}: each
 * smuggling case is a 400 that closes the connection with nothing journaled and nothing behind it answered; the
 * header limit at and past it; HTTP/1.0 keep-alive; a pipelined pair (the second chunked) split at every byte.
 */
class RequestFramingHttpTest
{
    private static final int MAX_HEADER_BYTES = 512;
    private static final String STATUS_LINE = "HTTP/1.1 ";
    private static final String BODY = "{\"t\":\"p\",\"u\":\"https://shop.example/\"}";
    private static final String HEAD = "POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
    private static final String BEACON = HEAD + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY;

    @TempDir
    Path dataDir;
    private Engine engine;

    @BeforeEach
    void start()
    {
        engine = new Engine(EngineConfig.builder(dataDir).ingestRateLimit(0).maxHeaderBytes(MAX_HEADER_BYTES)
            .sites(List.of(new Site("shop.example"))).build());
        // the channel is driven by hand: nothing would resume a beacon held while its new User-Agent is classified
        engine.ingestServices().screening().classifier().prime("");
    }

    @AfterEach
    void stop()
    {
        engine.close();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding : chunked\r\nContent-Length: 5\r\n",
        "Content-Length: 5\r\n Transfer-Encoding: chunked\r\n",
        "Content-Length: 5\r\nContent-Length: 5\r\n",
        "Content-Length: 5\r\nContent-Length: 6\r\n",
        "Content-Length: 5, 5\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: identity\r\nContent-Length: 5\r\n",
        "X-Bad Name: 1\r\nContent-Length: 5\r\n"})
    void eachSmugglingCaseIs400AndClosesWithNothingBehindItAnswered(final String framing)
    {
        final EmbeddedChannel channel = channel();
        channel.writeInbound(ascii(HEAD + framing + "\r\n0\r\n\r\n" + BEACON));
        final List<String> answers = answers(channel);
        assertEquals(1, answers.size(), answers.toString());
        assertTrue(answers.get(0).startsWith("HTTP/1.1 400 Bad Request"), answers.get(0));
        assertTrue(answers.get(0).contains("\"detail\":\"malformed HTTP request\""), answers.get(0));
        assertTrue(answers.get(0).contains("connection: close"), answers.get(0));
        assertFalse(channel.isActive());
        assertTrue(TestEngine.dump(dataDir).isEmpty());
    }

    @Test
    void headersAtTheLimitAreTakenAndOnePastAre431()
    {
        // the header lines without their CRLFs: Host, Content-Type, Content-Length and the filler
        final String fixed = "Host: x" + "Content-Type: application/json" + "Content-Length: " + BODY.length();
        final String filler = "X: " + "a".repeat(MAX_HEADER_BYTES - fixed.length() - 3);
        final EmbeddedChannel atLimit = channel();
        atLimit.writeInbound(ascii(HEAD + filler + "\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY));
        assertTrue(answers(atLimit).get(0).startsWith("HTTP/1.1 202 Accepted"));
        final EmbeddedChannel past = channel();
        past.writeInbound(ascii(HEAD + filler + "a\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY));
        final String answer = answers(past).get(0);
        assertTrue(answer.startsWith("HTTP/1.1 431 Request Header Fields Too Large"), answer);
        assertFalse(past.isActive());
        assertEquals(1, TestEngine.dump(dataDir).size());
    }

    @Test
    void http10KeepsTheConnectionOnlyWhenAskedTo()
    {
        final String old = "POST /api/event HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length() +
            "\r\n";
        final EmbeddedChannel kept = channel();
        kept.writeInbound(ascii(old + "Connection: keep-alive\r\n\r\n" + BODY + old + "\r\n" + BODY));
        final List<String> answers = answers(kept);
        assertEquals(2, answers.size());
        assertFalse(answers.get(0).contains("connection: close"), answers.get(0));
        assertTrue(answers.get(0).contains("connection: keep-alive"), "told it is kept: " + answers.get(0));
        assertTrue(answers.get(1).contains("connection: close"), answers.get(1));
        assertFalse(kept.isActive());
        assertEquals(2, TestEngine.dump(dataDir).size());
    }

    /** Every kind of answer (the 202's bytes, an error's bytes, a whole response) tells an HTTP/1.0 client it is kept. */
    @Test
    void http10AnswersOfEveryKindSayTheConnectionIsKept()
    {
        final String keepAlive = "Connection: keep-alive\r\n";
        final String bad = "{\"t\":";
        final EmbeddedChannel kept = channel();
        kept.writeInbound(ascii("POST /api/event HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: " +
            bad.length() + "\r\n" + keepAlive + "\r\n" + bad +
            "GET /healthz HTTP/1.0\r\n" + keepAlive + "\r\n" +
            "POST /api/event HTTP/1.0\r\nOrigin: https://shop.example\r\nContent-Type: application/json\r\n" +
            "Content-Length: " + BODY.length() + "\r\n" + keepAlive + "\r\n" + BODY));
        final List<String> answers = answers(kept);
        assertEquals(3, answers.size(), answers.toString());
        assertTrue(answers.get(0).startsWith("HTTP/1.1 400"), answers.get(0));
        assertTrue(answers.get(1).startsWith("HTTP/1.1 200"), answers.get(1));
        assertTrue(answers.get(2).startsWith("HTTP/1.1 202"), answers.get(2));
        for (final String answer : answers)
        {
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: keep-alive"), answer);
        }
        assertTrue(kept.isActive());
        final EmbeddedChannel http11 = channel();
        http11.writeInbound(ascii(BEACON));
        final String answer = answers(http11).get(0);
        assertFalse(answer.toLowerCase(java.util.Locale.ROOT).contains("connection:"), "HTTP/1.1 needs no header: " + answer);
    }

    @Test
    void aPipelinedPairSplitAtEveryByteGivesBothAnswers()
    {
        final String chunked = HEAD + "Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\n" + BODY.substring(0, 5) + "\r\n" +
            Integer.toHexString(BODY.length() - 5) + "\r\n" + BODY.substring(5) + "\r\n0\r\nTrailer: x\r\n\r\n";
        final byte[] pair = (BEACON + chunked).getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 1; split < pair.length; split++)
        {
            final EmbeddedChannel channel = channel();
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(pair, 0, split)));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(pair, split, pair.length)));
            final List<String> answers = answers(channel);
            assertEquals(2, answers.size(), "split " + split + ": " + answers);
            assertTrue(answers.get(0).startsWith("HTTP/1.1 202 Accepted") && answers.get(1).startsWith("HTTP/1.1 202 Accepted"),
                "split " + split + ": " + answers);
            assertFalse(channel.finish(), "nothing left over");
        }
        assertEquals(2 * (pair.length - 1), TestEngine.dump(dataDir).size());
    }

    private EmbeddedChannel channel()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        TallyServer.addHttpHandlers(channel.pipeline(), engine.serverServices());
        return channel;
    }

    private static ByteBuf ascii(final String text)
    {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    /** The answers written, one string each, cut where a status line begins. */
    private static List<String> answers(final EmbeddedChannel channel)
    {
        final StringBuilder written = new StringBuilder();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound())
        {
            final ByteBuf bytes = (ByteBuf)out;
            written.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.release();
        }
        final List<String> answers = new ArrayList<>();
        int start = written.indexOf(STATUS_LINE);
        while (start >= 0)
        {
            final int next = written.indexOf(STATUS_LINE, start + 1);
            answers.add(written.substring(start, next < 0 ? written.length() : next));
            start = next;
        }
        return answers;
    }
}
