package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static io.tally.codec.Fixtures.EMOJI;
import static io.tally.codec.Fixtures.EMOJI_ESCAPED;
import static io.tally.codec.Fixtures.bytes;
import static io.tally.codec.Fixtures.properties;
import static io.tally.codec.Fixtures.referenceSnapshot;
import static io.tally.codec.Fixtures.repeat;
import static io.tally.codec.Fixtures.snapshot;
import static io.tally.codec.Fixtures.utf8;
import static io.tally.codec.Outcome.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A body split anywhere must decode exactly as the whole body does (the idea of Netty's
 * {@code JsonObjectDecoderTest} and QuestDB's {@code JsonLexerTest}): every vector of
 * {@code beacons.jsonl} and a set of tricky bodies are cut at every byte offset into two pieces, and at a
 * sample of offset pairs into three, the pieces put in a {@link CompositeByteBuf} of pooled direct or heap
 * buffers; the outcome, error detail and offset and every decoded field must equal those of the whole
 * body in one plain buffer.
 */
class BeaconDecoderSplitTest
{
    private static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;
    private static final int THREE_PIECE_SAMPLES = 300;
    private static final int ALL_PAIRS_UP_TO = 96;

    /** The exact code each 400 vector of the spec gets from the codec. */
    private static final Map<String, Outcome> VECTOR_OUTCOMES = Map.ofEntries(
        Map.entry("not json", INVALID_JSON),
        Map.entry("json array not object", NOT_OBJECT),
        Map.entry("missing type", MISSING_FIELD),
        Map.entry("unknown type", UNKNOWN_TYPE),
        Map.entry("custom without name", MISSING_FIELD),
        Map.entry("missing url", MISSING_FIELD),
        Map.entry("mk and mv lengths differ", PROPS_MISMATCH),
        Map.entry("revenue as string", INVALID_REVENUE),
        Map.entry("negative revenue", INVALID_REVENUE),
        Map.entry("null property value", WRONG_TYPE),
        Map.entry("nested property value", WRONG_TYPE),
        Map.entry("duplicate key", DUPLICATE_KEY),
        Map.entry("truncated json", INVALID_JSON),
        Map.entry("name too long", NAME_TOO_LONG));

    private final BeaconDecoder decoder = new BeaconDecoder();
    private final Beacon beacon = new Beacon();

    static Stream<Arguments> vectors()
    {
        final List<Arguments> arguments = new ArrayList<>();
        for (final Map<String, Object> vector : Fixtures.vectors())
        {
            arguments.add(Arguments.of(vector.get("name"), utf8((String)vector.get("body")),
                ((BigDecimal)vector.get("status")).intValueExact(), vector.get("expect")));
        }
        return arguments.stream();
    }

    static Stream<Arguments> trickyBodies()
    {
        final String url = "\"u\":\"https://shop.example/\"";
        final List<Arguments> bodies = new ArrayList<>();
        bodies.add(Arguments.of("simple escapes and unicode escapes", utf8("{\"t\":\"e\",\"n\":\"a\\\"b\\\\c\\/d\\be\\ff" +
            "\\ng\\rh\\ti\\u00e9\\u20AC\\ud83d\\ude00\",\"u\":\"https://shop.example/\\u0041\\/p\",\"mk\":[\"k\\n\"," +
            "\"\\u006b2\"],\"mv\":[\"v\\t\\u00e9\",\"\\uDBFF\\uDFFF\"]}")));
        bodies.add(Arguments.of("raw multi-byte UTF-8", utf8("{\"t\":\"e\",\"n\":\"Caf\u00e9 \u20ac" + EMOJI +
            " \u65e5\u672c\",\"u\":\"https://shop.example/\u00fc\",\"mk\":[\"\u043a\u043b\u044e\u0447\"]," +
            "\"mv\":[\"\u0437\u043d\u0430\u0447\u0435\u043d\u0438\u0435 " + EMOJI + "\"],\"r\":\"\uDBFF\uDFFF\u0800\"}")));
        bodies.add(Arguments.of("raw emoji across the 2000 limit", utf8("{\"t\":\"p\"," + url + ",\"mk\":[\"a\",\"b\"]," +
            "\"mv\":[\"" + repeat("a", 1999) + EMOJI + "tail\",\"" + repeat("b", 1998) + EMOJI + "\"]}")));
        bodies.add(Arguments.of("escaped emoji across the 2000 limit", utf8("{\"t\":\"p\"," + url + ",\"mk\":[\"a\",\"b\"]," +
            "\"mv\":[\"" + repeat("a", 1999) + EMOJI_ESCAPED + "tail\",\"" + repeat("b", 1998) + EMOJI_ESCAPED + "\"]}")));
        bodies.add(Arguments.of("raw emoji after an escape across the limit", utf8("{\"t\":\"p\"," + url +
            ",\"r\":\"\\n" + repeat("r", 1998) + EMOJI + "\",\"x\":\"" + repeat(EMOJI, 1001) + "\"}")));
        bodies.add(Arguments.of("nested unknown values", utf8("{\"zz\":{\"a\":[1,{\"b\":\"}]\\\"\\\\\"},[[[]]],-1.5e-3," +
            "true,false,null],\"c\":{},\"d\":[{}]},\"t\":\"p\"," + url + ",\"yy\":\"\\ud83d\\ude00 " + EMOJI + "\"," +
            "\"\\u0078x\":[\"]\",\"}\",\"\\\"\"]}")));
        bodies.add(Arguments.of("whitespace everywhere", utf8(" \t{ \"t\" :\n\"p\" ,\r\n \"u\" : \"https://x/\" , " +
            "\"mk\" : [ \"a\" , \"b\" ] , \"mv\" : [ 1 , true ] , \"zz\" : { \"a\" : [ ] } }\r\n ")));
        bodies.add(Arguments.of("every field", utf8("{\"t\":\"c\",\"n\":\"Caf\\u00e9\",\"u\":\"https://blog.example/r?value=3\"," +
            "\"d\":\"shop.example\",\"r\":\"https://news.example/\",\"h\":\"https://www.amazon.de/dp/B08N5WRWNW\"," +
            "\"x\":\"Buy \\\"now\\\"\",\"ti\":\"T\",\"fn\":\"contact\",\"fi\":\"wpcf7-f42\",\"fp\":\"cf7\",\"el\":\"l\"," +
            "\"ea\":\"a\",\"ec\":\"c\",\"mk\":[\"a\",\"b\"],\"mv\":[\"1\",true],\"ra\":29.99,\"rc\":\"eur\",\"v\":1e2," +
            "\"sec\":30.5}")));
        bodies.add(Arguments.of("numbers and literals", utf8("{\"t\":\"x\"," + url + ",\"n\":null,\"d\":null," +
            "\"mk\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"],\"mv\":[-0.5e3,42,true,false,1E+2,123456789012345678901234567890]," +
            "\"ra\":0.123456789012345678,\"v\":9223372036854775807,\"sec\":1.5e-1,\"zz\":[true,false,null,-0,1e-7]}")));
        bodies.add(Arguments.of("31 properties", utf8("{\"t\":\"e\",\"n\":\"W\"," + url + properties(31) + "}")));
        bodies.add(Arguments.of("max unknown keys", utf8(unknownKeys(BeaconDecoder.MAX_UNKNOWN_KEYS))));
        bodies.add(Arguments.of("too many unknown keys", utf8(unknownKeys(BeaconDecoder.MAX_UNKNOWN_KEYS + 1))));
        bodies.add(Arguments.of("depth at the limit", utf8("{\"t\":\"p\"," + url + ",\"zz\":" +
            repeat("[", BeaconDecoder.MAX_DEPTH - 1) + repeat("]", BeaconDecoder.MAX_DEPTH - 1) + "}")));
        bodies.add(Arguments.of("too deep", utf8("{\"t\":\"p\"," + url + ",\"zz\":" + repeat("[{\"a\":", 20) + "1" +
            repeat("}]", 20) + "}")));
        bodies.add(Arguments.of("lone surrogate", utf8("{\"t\":\"p\"," + url + ",\"r\":\"ab\\ud83d\\u0041\"}")));
        bodies.add(Arguments.of("bad escape", utf8("{\"t\":\"p\"," + url + ",\"r\":\"ab\\u12G4\"}")));
        bodies.add(Arguments.of("escape cut by the end", utf8("{\"t\":\"p\"," + url + ",\"r\":\"ab\\ud83d\\ude0")));
        bodies.add(Arguments.of("invalid UTF-8 F5", bytes("{\"t\":\"p\"," + url + ",\"r\":\"ab", new int[]{0xF5, 0x80, 0x80, 0x80},
            "\"}")));
        bodies.add(Arguments.of("overlong UTF-8", bytes("{\"t\":\"p\"," + url + ",\"r\":\"\\n\u00e9", new int[]{0xC0, 0x80},
            "\"}")));
        bodies.add(Arguments.of("UTF-8 surrogate", bytes("{\"t\":\"p\"," + url + ",\"mk\":[\"", new int[]{0xED, 0xA0, 0x80},
            "\"],\"mv\":[1]}")));
        bodies.add(Arguments.of("UTF-8 cut by the end", bytes("{\"t\":\"p\"," + url + ",\"r\":\"ab", new int[]{0xF0, 0x9F, 0x98})));
        bodies.add(Arguments.of("control character", bytes("{\"t\":\"p\"," + url + ",\"r\":\"ab", new int[]{0x0A}, "\"}")));
        bodies.add(Arguments.of("trailing data", utf8("{\"t\":\"p\"," + url + "} \n x")));
        bodies.add(Arguments.of("trailing whitespace", utf8("{\"t\":\"p\"," + url + "} \n\t\r ")));
        bodies.add(Arguments.of("duplicate escaped unknown key", utf8("{\"t\":\"p\"," + url + ",\"zz\":1,\"z\\u007a\":2}")));
        bodies.add(Arguments.of("name too long in characters", utf8("{\"t\":\"e\",\"n\":\"" + repeat("\u00e9", 121) + "\"," +
            url + "}")));
        bodies.add(Arguments.of("name of 120 emoji units", utf8("{\"t\":\"e\",\"n\":\"" + repeat(EMOJI, 60) + "\"," + url + "}")));
        bodies.add(Arguments.of("key too long", utf8("{\"t\":\"e\",\"n\":\"K\"," + url + ",\"mk\":[\"" + repeat("k", 301) +
            "\"],\"mv\":[1]}")));
        bodies.add(Arguments.of("bad currency", utf8("{\"t\":\"e\",\"n\":\"K\"," + url + ",\"ra\":1,\"rc\":\"E1R\"}")));
        bodies.add(Arguments.of("negative seconds", utf8("{\"t\":\"x\"," + url + ",\"sec\":-0.5}")));
        bodies.add(Arguments.of("not json", utf8("hello world")));
        bodies.add(Arguments.of("a literal that is not", utf8("{\"t\":\"p\"," + url + ",\"zz\":[true,fals]}")));
        bodies.add(Arguments.of("top-level string", utf8("\"{\\\"t\\\":\\\"p\\\"}\"")));
        bodies.add(Arguments.of("empty", new byte[0]));
        return bodies.stream();
    }

    private static String unknownKeys(final int count)
    {
        final StringBuilder out = new StringBuilder("{\"t\":\"p\",\"u\":\"https://shop.example/\"");
        for (int i = 0; i < count; i++)
        {
            out.append(",\"k\\u00e9").append(i).append("\":").append(i % 2 == 0 ? "[1,{\"a\":null}]" : "\"x\"");
        }
        return out.append('}').toString();
    }

    // ------------------------------------------------------------------------------------- what the codec says

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vectorDecodesAsTheSpecSays(final String name, final byte[] body, final int status, final Object expect)
    {
        if ("wrong content type".equals(name))
        {
            return; // 415 is decided by the HTTP layer from the header; the codec never sees the content type
        }
        final ByteBuf buffer = Unpooled.wrappedBuffer(body);
        try
        {
            final Outcome outcome = decoder.decode(buffer, beacon);
            if (status == 202 || "unknown site".equals(name))
            {
                assertEquals(ACCEPTED, outcome, () -> name + ": " + decoder.errorDetail());
                if (expect instanceof Map)
                {
                    assertExpected(name, castMap(expect));
                }
            }
            else
            {
                assertEquals(400, status, name);
                assertNotEquals(ACCEPTED, outcome, name);
                assertEquals(400, outcome.httpStatus(), name);
                final Outcome exact = VECTOR_OUTCOMES.get(name);
                if (exact != null)
                {
                    assertEquals(exact, outcome, () -> name + ": " + decoder.errorDetail());
                }
            }
        }
        finally
        {
            buffer.release();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(final Object value)
    {
        return (Map<String, Object>)value;
    }

    /** The fields of a vector's {@code expect} that the codec decides (the rest are the server's). */
    private void assertExpected(final String name, final Map<String, Object> expect)
    {
        if (expect.containsKey("type"))
        {
            assertEquals(expect.get("type"), beacon.type().dumpName(), name);
        }
        if (expect.containsKey("name"))
        {
            assertEquals(expect.get("name"), beacon.name().toString(), name);
        }
        if (expect.containsKey("path"))
        {
            final TextView path = new TextView();
            UrlParts.path(beacon.url(), path);
            assertEquals(expect.get("path"), path.toString(), name);
        }
        if (expect.containsKey("site"))
        {
            final TextView site = new TextView();
            if (beacon.domain().isPresent())
            {
                site.wrap(beacon.domain().buffer(), beacon.domain().offset(), beacon.domain().length());
            }
            else
            {
                assertTrue(UrlParts.host(beacon.url(), site), name);
            }
            assertEquals(expect.get("site"), site.toString(), name);
        }
        if (expect.containsKey("props"))
        {
            final Map<String, Object> props = new LinkedHashMap<>();
            for (int i = 0; i < beacon.propertyCount(); i++)
            {
                props.put(beacon.propertyKey(i).toString(), beacon.propertyValue(i).toString());
            }
            assertEquals(new ArrayList<>(castMap(expect.get("props")).entrySet()), new ArrayList<>(props.entrySet()),
                name + ": the kept properties, in the order sent");
        }
        if (expect.containsKey("revenue"))
        {
            final Object revenue = expect.get("revenue");
            if (revenue == null)
            {
                assertFalse(beacon.hasRevenue(), name);
            }
            else
            {
                assertTrue(beacon.hasRevenue(), name);
                final Map<String, Object> amount = castMap(revenue);
                assertEquals(amount.get("amount"), Decimals.format(beacon.revenueUnscaled(), beacon.revenueScale()), name);
                assertEquals(amount.get("currency"), new String(new byte[]{beacon.currencyByte(0), beacon.currencyByte(1),
                    beacon.currencyByte(2)}, StandardCharsets.US_ASCII), name);
            }
        }
    }

    @Test
    void everyVectorOfTheSpecIsHere()
    {
        final List<Map<String, Object>> vectors = Fixtures.vectors();
        assertTrue(vectors.size() >= 28, "vectors: " + vectors.size());
        for (final Map<String, Object> vector : vectors)
        {
            assertTrue(vector.get("name") instanceof String);
            assertTrue(vector.get("body") instanceof String);
            assertTrue(vector.get("status") instanceof BigDecimal);
            assertTrue(vector.containsKey("expect"));
        }
        for (final String name : VECTOR_OUTCOMES.keySet())
        {
            assertTrue(vectors.stream().anyMatch((vector) -> name.equals(vector.get("name"))), name);
        }
    }

    // ------------------------------------------------------------------------------------- splits

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vectorDecodesTheSameSplitAnywhere(final String name, final byte[] body, final int status, final Object expect)
    {
        assertSameWhereverSplit(body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trickyBodies")
    void trickyBodyDecodesTheSameSplitAnywhere(final String name, final byte[] body)
    {
        assertSameWhereverSplit(body);
    }

    @Test
    void trickyBodiesHaveTheOutcomesTheyWereWrittenFor()
    {
        final Map<String, Outcome> expected = new LinkedHashMap<>();
        expected.put("simple escapes and unicode escapes", ACCEPTED);
        expected.put("raw multi-byte UTF-8", ACCEPTED);
        expected.put("raw emoji across the 2000 limit", ACCEPTED);
        expected.put("escaped emoji across the 2000 limit", ACCEPTED);
        expected.put("raw emoji after an escape across the limit", ACCEPTED);
        expected.put("nested unknown values", ACCEPTED);
        expected.put("whitespace everywhere", ACCEPTED);
        expected.put("every field", ACCEPTED);
        expected.put("numbers and literals", ACCEPTED);
        expected.put("31 properties", ACCEPTED);
        expected.put("max unknown keys", ACCEPTED);
        expected.put("too many unknown keys", TOO_MANY_KEYS);
        expected.put("depth at the limit", ACCEPTED);
        expected.put("too deep", TOO_DEEP);
        expected.put("lone surrogate", INVALID_ESCAPE);
        expected.put("bad escape", INVALID_ESCAPE);
        expected.put("escape cut by the end", INVALID_ESCAPE);
        expected.put("invalid UTF-8 F5", INVALID_UTF8);
        expected.put("overlong UTF-8", INVALID_UTF8);
        expected.put("UTF-8 surrogate", INVALID_UTF8);
        expected.put("UTF-8 cut by the end", INVALID_UTF8);
        expected.put("control character", INVALID_JSON);
        expected.put("trailing data", TRAILING_DATA);
        expected.put("trailing whitespace", ACCEPTED);
        expected.put("duplicate escaped unknown key", DUPLICATE_KEY);
        expected.put("name too long in characters", NAME_TOO_LONG);
        expected.put("name of 120 emoji units", ACCEPTED);
        expected.put("key too long", KEY_TOO_LONG);
        expected.put("bad currency", INVALID_CURRENCY);
        expected.put("negative seconds", INVALID_NUMBER);
        expected.put("not json", INVALID_JSON);
        expected.put("a literal that is not", INVALID_JSON);
        expected.put("top-level string", NOT_OBJECT);
        expected.put("empty", INVALID_JSON);
        final List<Arguments> bodies = trickyBodies().toList();
        assertEquals(expected.size(), bodies.size());
        for (final Arguments arguments : bodies)
        {
            final String name = (String)arguments.get()[0];
            final byte[] body = (byte[])arguments.get()[1];
            final ByteBuf buffer = Unpooled.wrappedBuffer(body);
            try
            {
                assertEquals(expected.get(name), decoder.decode(buffer, beacon), () -> name + ": " + decoder.errorDetail());
            }
            finally
            {
                buffer.release();
            }
        }
    }

    private void assertSameWhereverSplit(final byte[] body)
    {
        final String whole = referenceSnapshot(body);
        for (int at = 0; at <= body.length; at++)
        {
            final int cut = at;
            assertEquals(whole, decodePieces(body, true, false, cut), () -> "split at " + cut + " into direct pieces");
            assertEquals(whole, decodePieces(body, false, false, cut), () -> "split at " + cut + " into heap pieces");
        }
        for (int at = 0; at <= body.length; at += Math.max(1, body.length / 8))
        {
            final int cut = at;
            assertEquals(whole, decodePieces(body, (at & 1) == 0, false, true, cut),
                () -> "split at " + cut + ", decoded through the leak-aware composite");
        }
        if (body.length <= ALL_PAIRS_UP_TO)
        {
            for (int first = 0; first <= body.length; first++)
            {
                for (int second = first; second <= body.length; second++)
                {
                    final int a = first;
                    final int b = second;
                    assertEquals(whole, decodePieces(body, ((a + b) & 1) == 0, true, a, b), () -> "split at " + a + " and " + b);
                }
            }
        }
        else
        {
            final Random random = new Random(body.length * 7919L);
            for (int i = 0; i < THREE_PIECE_SAMPLES; i++)
            {
                final int x = random.nextInt(body.length + 1);
                final int y = random.nextInt(body.length + 1);
                final int a = Math.min(x, y);
                final int b = Math.max(x, y);
                final boolean direct = (i & 1) == 0;
                assertEquals(whole, decodePieces(body, direct, true, a, b), () -> "split at " + a + " and " + b);
            }
        }
    }

    /**
     * Decodes {@code body} from a composite of the pieces between {@code cuts}, the composite and its pieces
     * direct or heap by {@code direct} (with {@code mixed}, the pieces alternate kinds after the first), and
     * returns the snapshot.
     */
    private String decodePieces(final byte[] body, final boolean direct, final boolean mixed, final int... cuts)
    {
        return decodePieces(body, direct, mixed, false, cuts);
    }

    /**
     * Under paranoid leak detection every read of a tracked buffer records a stack trace, which makes a
     * byte-by-byte scan thousands of times slower. The composite is still allocated, tracked and released
     * as usual; the split decodes read through the composite it wraps (its components are untracked in any
     * case, as a composite always unwraps them). {@link CompositeBeaconDecoderTest} and the sample below
     * decode through the tracked wrapper itself.
     */
    private static ByteBuf untracked(final CompositeByteBuf composite)
    {
        ByteBuf inner = composite;
        while (inner.unwrap() instanceof CompositeByteBuf)
        {
            inner = inner.unwrap();
        }
        return inner;
    }

    private String decodePieces(
        final byte[] body, final boolean direct, final boolean mixed, final boolean leakAware, final int... cuts)
    {
        final CompositeByteBuf composite = direct ?
            ALLOCATOR.compositeDirectBuffer(Integer.MAX_VALUE) : ALLOCATOR.compositeHeapBuffer(Integer.MAX_VALUE);
        try
        {
            int from = 0;
            for (int i = 0; i <= cuts.length; i++)
            {
                final int to = i < cuts.length ? cuts[i] : body.length;
                final boolean directPiece = mixed ? direct == ((i & 1) == 0) : direct;
                final ByteBuf piece = directPiece ? ALLOCATOR.directBuffer(to - from) : ALLOCATOR.heapBuffer(to - from);
                piece.writeBytes(body, from, to - from);
                composite.addComponent(true, piece);
                from = to;
            }
            assertEquals(body.length, composite.readableBytes());
            final ByteBuf toDecode = leakAware ? composite : untracked(composite);
            final Outcome outcome = decoder.decode(toDecode, beacon);
            return snapshot(outcome, decoder, beacon);
        }
        finally
        {
            composite.release();
        }
    }
}
