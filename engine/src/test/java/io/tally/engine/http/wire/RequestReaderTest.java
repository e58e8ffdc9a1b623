package io.tally.engine.http.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the request reader itself decides, request by request, without a server: the framing, the smuggling
 * cases, the limits at and past them, requests split across reads at every byte, and holding the next request.
 */
class RequestReaderTest
{
    private static final int MAX_LINE = 4096;
    private static final int MAX_HEADERS = 256;
    private static final String HEAD = "POST /api/event HTTP/1.1\r\nHost: x\r\n";

    private final RecordingListener listener = new RecordingListener();
    private final RequestReader reader = new RequestReader(listener, MAX_LINE, MAX_HEADERS, Duration.ZERO);

    private List<String> read(final String... pieces)
    {
        for (final String piece : pieces)
        {
            reader.read(ByteBufAllocator.DEFAULT, Unpooled.copiedBuffer(piece, StandardCharsets.ISO_8859_1));
        }
        return listener.events;
    }

    @Test
    void aRequestWithALengthIsItsHeadThenItsBody()
    {
        assertEquals(List.of("head POST /api/event?x=1 1.1 length=3 ua=caf\u00e9 origin=https://a.example",
                "end abc"),
            read("POST /api/event?x=1 HTTP/1.1\r\nHost: x\r\nUser-Agent:  caf\u00e9 \t\r\nOrigin: https://a.example\r\n" +
                "Content-Length: 3\r\n\r\nabc"));
    }

    @Test
    void aChunkedBodyWithExtensionsAndTrailersIsItsData()
    {
        assertEquals(List.of("head POST /api/event 1.1 length=-1 chunked", "end abcdefghijklmnopq"),
            read(HEAD + "Transfer-Encoding: Chunked\r\n\r\n3;name=value\r\nabc\r\nE ; a=\"b\"\r\ndefghijklmnopq\r\n" +
                "0\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n"));
    }

    @Test
    void emptyLinesBeforeARequestAreSkipped()
    {
        assertEquals(List.of("head GET /healthz 1.1 length=-1", "end "), read("\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    }

    @Test
    void keepAliveFollowsTheVersionAndConnection()
    {
        read("GET / HTTP/1.0\r\n\r\n", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade, close\r\n\r\n", "GET / HTTP/1.2\r\nHost: x\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 0\r\n\r\n",
            "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n");
        assertEquals(List.of("head GET / 1.0 length=-1 close", "end ", "head GET / 1.0 length=-1", "end ",
            "head GET / 1.1 length=-1 close", "end ", "head GET / 1.1 length=-1", "end ",
            "head POST / 1.1 length=0 continue", "end ", "head POST / 1.0 length=0 close", "end "), listener.events);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
        "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding : chunked\r\nContent-Length: 3\r\n",
        "Content-Length : 3\r\n",
        "Content-Length: 3\r\n Transfer-Encoding: chunked\r\n",
        "User-Agent: a\r\n\tb\r\nContent-Length: 3\r\n",
        "Content-Length: 3\r\nContent-Length: 3\r\n",
        "Content-Length: 3\r\nContent-Length: 4\r\n",
        "Content-Length: 3, 3\r\n",
        "Content-Length: +3\r\n",
        "Content-Length: -3\r\n",
        "Content-Length: 0x3\r\n",
        "Content-Length: \r\n",
        "Content-Length: 1234567890123456789\r\n",
        "Transfer-Encoding: gzip\r\nContent-Length: 3\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: chunked, chunked\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: identity\r\nContent-Length: 3\r\n",
        "Host: y\r\nContent-Length: 3\r\n",
        "Or(igin: x\r\nContent-Length: 3\r\n",
        ": x\r\nContent-Length: 3\r\n",
        "Origin: a\u0001b\r\nContent-Length: 3\r\n",
        "Origin: https://a.example\rset-cookie: x=1\r\nContent-Length: 3\r\n",
        "Origin: a\u007fb\r\nContent-Length: 3\r\n",
        "Content-Length: 3\nX: y\r\n"})
    void aHeadThatFramesItsBodyAmbiguouslyOrIsMalformedIsRefusedAndNothingMoreIsRead(final String headers)
    {
        assertEquals(List.of("fault MALFORMED_HEAD"),
            read(HEAD + headers + "\r\nabc" + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(List.of("fault MALFORMED_HEAD"), read("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), "nothing more is read");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "GET  / HTTP/1.1", "GET /  HTTP/1.1", "GET / HTTP/1.1 ", " GET / HTTP/1.1", "GET /", "GET / HTTP/2.0",
        "GET / http/1.1", "GET / HTTP/1.", "GET / HTTP/1.x", "GET /a\u0001b HTTP/1.1", "GET /a\u007f HTTP/1.1",
        "G(T / HTTP/1.1", "GET\t/ HTTP/1.1"})
    void aMalformedRequestLineIsRefused(final String line)
    {
        assertEquals(List.of("fault MALFORMED_HEAD"), read(line + "\r\nHost: x\r\n\r\n"));
    }

    @Test
    void aTransferEncodingInAnHttp10RequestIsRefused()
    {
        assertEquals(List.of("fault MALFORMED_HEAD"), read("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    }

    @Test
    void aRequestLineAtItsLimitIsReadAndOnePastIsTooLarge()
    {
        final String atLimit = "GET /" + "a".repeat(MAX_LINE - "GET / HTTP/1.1".length()) + " HTTP/1.1";
        assertEquals(MAX_LINE, atLimit.length());
        assertEquals("end ", read(atLimit + "\r\nHost: x\r\n\r\n").get(1));
        final RecordingListener past = new RecordingListener();
        final RequestReader pastReader = new RequestReader(past, MAX_LINE, MAX_HEADERS, Duration.ZERO);
        pastReader.read(ByteBufAllocator.DEFAULT, ascii("GET /a" + atLimit.substring(5) + "\r\nHost: x\r\n\r\n"));
        assertEquals(List.of("fault HEAD_TOO_LARGE"), past.events);
    }

    @Test
    void aRequestLinePastItsLimitIsRefusedBeforeItsEndArrives()
    {
        // a CR at the end may be the start of the line's end: only a byte past that is past the limit
        assertEquals(List.of(), read("GET /" + "a".repeat(MAX_LINE - 5) + "\r"));
        assertEquals(List.of("fault HEAD_TOO_LARGE"), read("a"));
    }

    @Test
    void headersAtTheirLimitAreReadAndOnePastAreTooLarge()
    {
        final String host = "Host: x"; // the header bytes count the lines without their CRLFs
        final String atLimit = "X: " + "a".repeat(MAX_HEADERS - host.length() - 3);
        assertEquals("end ", read("GET / HTTP/1.1\r\n" + host + "\r\n" + atLimit + "\r\n\r\n").get(1));
        final RecordingListener past = new RecordingListener();
        final RequestReader pastReader = new RequestReader(past, MAX_LINE, MAX_HEADERS, Duration.ZERO);
        pastReader.read(ByteBufAllocator.DEFAULT, ascii("GET / HTTP/1.1\r\n" + host + "\r\n" + atLimit + "a\r\n\r\n"));
        assertEquals(List.of("fault HEAD_TOO_LARGE"), past.events);
        final RecordingListener unfinished = new RecordingListener();
        final RequestReader unfinishedReader = new RequestReader(unfinished, MAX_LINE, MAX_HEADERS, Duration.ZERO);
        unfinishedReader.read(ByteBufAllocator.DEFAULT, ascii("GET / HTTP/1.1\r\n" + host + "\r\n" + atLimit + "\r"));
        assertEquals(List.of(), unfinished.events);
        unfinishedReader.read(ByteBufAllocator.DEFAULT, ascii("a"));
        assertEquals(List.of("fault HEAD_TOO_LARGE"), unfinished.events, "refused before the line ends");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"zz\r\n", "ffffffffffffffff\r\n", "80000000\r\n", "\r\n", "3 x\r\nabc\r\n", "3\nabc\r\n",
        "3\r\nabcX\r\n", "3\r\nabc\r\n0\r\nbad trailer\r\n\r\n", "3\r\nabc\r\n0\r\nX: \u0001\r\n\r\n",
        "3;a\u0001\r\nabc\r\n0\r\n\r\n"})
    void aBrokenChunkedBodyStopsTheReader(final String chunks)
    {
        read(HEAD + "Transfer-Encoding: chunked\r\n\r\n" + chunks + "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("fault BROKEN_BODY", listener.events.get(listener.events.size() - 1), listener.events.toString());
        assertTrue(listener.events.stream().noneMatch(e -> e.startsWith("end")), listener.events.toString());
    }

    @Test
    void trailersAtTheirLimitAreReadAndOnePastBreakTheBody()
    {
        final String atLimit = "X: " + "a".repeat(MAX_HEADERS - 3);
        assertEquals("end abc", read(HEAD + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n" + atLimit + "\r\n\r\n").get(1));
        final RecordingListener past = new RecordingListener();
        final RequestReader pastReader = new RequestReader(past, MAX_LINE, MAX_HEADERS, Duration.ZERO);
        pastReader.read(ByteBufAllocator.DEFAULT,
            ascii(HEAD + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n" + atLimit + "\r\nY: b\r\n\r\n"));
        assertEquals("fault BROKEN_BODY", past.events.get(1));
    }

    @Test
    void aPipelinedPairSplitAtEveryByteReadsAsWhole()
    {
        final String pair = HEAD + "User-Agent: first\r\nContent-Length: 11\r\n\r\n{\"t\":\"p\"}\r\n" +
            HEAD + "Origin: https://b.example\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\n{\"t\"\r\n5\r\n:\"e\"}\r\n0\r\nT: 1\r\n\r\n";
        final List<String> whole = List.copyOf(read(pair));
        assertEquals(List.of("head POST /api/event 1.1 length=11 ua=first", "end {\"t\":\"p\"}\r\n",
            "head POST /api/event 1.1 length=-1 chunked origin=https://b.example", "end {\"t\":\"e\"}"), whole);
        final byte[] bytes = pair.getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 1; split < bytes.length; split++)
        {
            for (int second = split; second < bytes.length; second += 37)
            {
                final RecordingListener events = new RecordingListener();
                final RequestReader split3 = new RequestReader(events, MAX_LINE, MAX_HEADERS, Duration.ZERO);
                split3.read(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, split)));
                split3.read(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, split, second)));
                split3.read(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, second, bytes.length)));
                assertEquals(whole, events.events, "split at " + split + " and " + second);
            }
        }
    }

    @Test
    void aRequestSentOneByteAtATimeReadsAsWhole()
    {
        final String request = HEAD + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        for (final char c : request.toCharArray())
        {
            read(String.valueOf(c));
        }
        assertEquals(List.of("head POST /api/event 1.1 length=-1 chunked", "end abc"), listener.events);
    }

    @Test
    void aHeldRequestWaitsUnreadUntilResumed()
    {
        listener.holdOn = reader;
        read("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHo", "st: x\r\n\r\n");
        assertEquals(List.of("head GET /a 1.1 length=-1", "end "), listener.events);
        listener.holdOn = null;
        reader.resume();
        assertEquals(List.of("head GET /a 1.1 length=-1", "end ", "head GET /b 1.1 length=-1", "end ",
            "head GET /c 1.1 length=-1", "end "), listener.events);
    }

    @Test
    void aStoppedReaderReadsNothingAndReleasesWhatItGets()
    {
        reader.stop();
        final ByteBuf bytes = ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        reader.read(ByteBufAllocator.DEFAULT, bytes);
        assertEquals(0, bytes.refCnt());
        assertEquals(List.of(), listener.events);
    }

    private static ByteBuf ascii(final String text)
    {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }
}
