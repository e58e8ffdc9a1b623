package io.tally.codec;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.tally.codec.Fixtures.EMOJI;
import static io.tally.codec.Fixtures.EMOJI_ESCAPED;
import static io.tally.codec.Fixtures.bytes;
import static io.tally.codec.Fixtures.custom;
import static io.tally.codec.Fixtures.pageview;
import static io.tally.codec.Fixtures.properties;
import static io.tally.codec.Fixtures.repeat;
import static io.tally.codec.Fixtures.utf8;
import static io.tally.codec.Outcome.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rule of the wire format (docs/wire-format.md) as the codec sees it, run once per buffer kind (heap, pooled direct, composite,
 * slice, read-only ...): each concrete subclass only says how a body is put into a {@link ByteBuf}, the way
 * Agrona's {@code MutableDirectBufferTests} run one suite over many buffer types.
 */
abstract class AbstractBeaconDecoderTest
{
    static final String URL = "https://shop.example/";
    static final String[] OPTIONAL_STRING_FIELDS = {"d", "r", "h", "x", "ti", "fn", "fi", "fp", "el", "ea", "ec"};

    protected final BeaconDecoder decoder = new BeaconDecoder();
    protected final Beacon beacon = new Beacon();
    private final List<ByteBuf> bodies = new ArrayList<>();
    private ByteBuf lastBody;
    private int lastLength;

    /** Puts {@code body} into a buffer of the kind under test; the suite releases it after the test. */
    protected abstract ByteBuf newBody(byte[] body);

    /** The buffer the decoder reads a body {@link #newBody} made from, which plain strings are views of. */
    protected ByteBuf decodedBuffer(final ByteBuf body)
    {
        return body;
    }

    /** Decodes a body {@link #newBody} made. */
    protected Outcome decodeBody(final ByteBuf body)
    {
        return decoder.decode(body, beacon);
    }

    @AfterEach
    final void releaseBodies()
    {
        try
        {
            for (final ByteBuf body : bodies)
            {
                assertEquals(1, body.refCnt(), "the decoder must neither retain nor release the body");
            }
        }
        finally
        {
            for (final ByteBuf body : bodies)
            {
                if (body.refCnt() > 0)
                {
                    body.release();
                }
            }
            bodies.clear();
        }
    }

    /** JSON with ' for " so bodies stay readable. */
    static String j(final String text)
    {
        return text.replace('\'', '"');
    }

    protected Outcome decode(final String body)
    {
        return decode(utf8(body));
    }

    protected Outcome decode(final byte[] body)
    {
        final ByteBuf buffer = newBody(body);
        bodies.add(buffer);
        assertEquals(body.length, buffer.readableBytes());
        final int readerIndex = buffer.readerIndex();
        final int writerIndex = buffer.writerIndex();
        final Outcome outcome = decodeBody(buffer);
        assertNotNull(outcome);
        assertEquals(readerIndex, buffer.readerIndex(), "the decoder must not move the reader index");
        assertEquals(writerIndex, buffer.writerIndex(), "the decoder must not move the writer index");
        lastBody = decodedBuffer(buffer);
        lastLength = body.length;
        if (outcome == ACCEPTED)
        {
            assertNull(decoder.error());
            assertNull(decoder.errorDetail());
            assertEquals(-1, decoder.errorOffset());
        }
        else
        {
            assertSame(outcome, decoder.error());
            assertNotNull(decoder.errorDetail());
            assertFalse(decoder.errorDetail().contains("\n"), "the detail is one line");
            assertTrue(decoder.errorOffset() >= 0 && decoder.errorOffset() <= body.length,
                "offset " + decoder.errorOffset() + " of a " + body.length + " byte body");
        }
        return outcome;
    }

    protected void assertAccepted(final String body)
    {
        assertAccepted(utf8(body));
    }

    protected void assertAccepted(final byte[] body)
    {
        final Outcome outcome = decode(body);
        assertEquals(ACCEPTED, outcome,
            () -> decoder.errorDetail() + " at " + decoder.errorOffset() + " in " + shorten(body));
    }

    protected void assertRejected(final Outcome expected, final String body)
    {
        assertRejected(expected, utf8(body));
    }

    protected void assertRejected(final Outcome expected, final byte[] body)
    {
        final Outcome outcome = decode(body);
        assertEquals(expected, outcome,
            () -> "detail '" + decoder.errorDetail() + "' at " + decoder.errorOffset() + " in " + shorten(body));
        assertEmpty("a rejected beacon is never half-written");
    }

    private static String shorten(final byte[] body)
    {
        final String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** The beacon holds nothing: after a failed decode, or the state a good decode starts from. */
    protected void assertEmpty(final String message)
    {
        assertNull(beacon.type(), message);
        final TextView[] views = {beacon.name(), beacon.url(), beacon.domain(), beacon.referrer(), beacon.target(),
            beacon.text(), beacon.title(), beacon.formName(), beacon.formId(), beacon.formPlugin(), beacon.label(),
            beacon.action(), beacon.category()};
        for (final TextView view : views)
        {
            assertFalse(view.isPresent(), message);
        }
        assertEquals(0, beacon.propertyCount(), message);
        assertEquals(0, beacon.droppedPropertyCount(), message);
        assertFalse(beacon.hasRevenue(), message);
        assertFalse(beacon.hasValue(), message);
        assertFalse(beacon.hasSeconds(), message);
    }

    private static TextView field(final Beacon beacon, final String key)
    {
        switch (key)
        {
            case "n": return beacon.name();
            case "u": return beacon.url();
            case "d": return beacon.domain();
            case "r": return beacon.referrer();
            case "h": return beacon.target();
            case "x": return beacon.text();
            case "ti": return beacon.title();
            case "fn": return beacon.formName();
            case "fi": return beacon.formId();
            case "fp": return beacon.formPlugin();
            case "el": return beacon.label();
            case "ea": return beacon.action();
            case "ec": return beacon.category();
            default: throw new IllegalArgumentException(key);
        }
    }

    private static byte[] bytesOf(final TextView view)
    {
        final byte[] bytes = new byte[view.length()];
        view.buffer().getBytes(view.offset(), bytes);
        return bytes;
    }

    private static String nested(final String open, final String leaf, final String close, final int levels)
    {
        return repeat(open, levels) + leaf + repeat(close, levels);
    }

    // ------------------------------------------------------------------------------------- required fields, types

    @Test
    void minimalPageview()
    {
        assertAccepted(j("{'t':'p','u':'https://shop.example/pricing'}"));
        assertEquals(EventType.PAGEVIEW, beacon.type());
        assertEquals("pageview", beacon.name().toString());
        assertEquals("https://shop.example/pricing", beacon.url().toString());
        for (final String key : OPTIONAL_STRING_FIELDS)
        {
            assertFalse(field(beacon, key).isPresent(), key);
        }
        assertEquals(0, beacon.propertyCount());
        assertEquals(0, beacon.droppedPropertyCount());
        assertFalse(beacon.hasRevenue());
        assertFalse(beacon.hasValue());
        assertFalse(beacon.hasSeconds());
    }

    @ParameterizedTest(name = "t={0}")
    @CsvSource({
        "p, PAGEVIEW, pageview",
        "c, CLICK, outbound_click",
        "f, FORM, form_submit",
        "d, DOWNLOAD, file_download",
        "x, ENGAGEMENT, engagement"})
    void everyTypeWithoutANameGetsItsDefaultName(final String wire, final EventType type, final String name)
    {
        assertAccepted(j("{'t':'" + wire + "','u':'" + URL + "'}"));
        assertEquals(type, beacon.type());
        assertEquals(name, beacon.name().toString());
        assertEquals(name, type.defaultName());

        assertAccepted(j("{'u':'" + URL + "','n':null,'t':'" + wire + "'}"));
        assertEquals(type, beacon.type());
        assertEquals(name, beacon.name().toString(), "null is no name");

        assertAccepted(j("{'t':'" + wire + "','n':'','u':'" + URL + "'}"));
        assertEquals(name, beacon.name().toString(), "an empty name is no name");
    }

    @ParameterizedTest(name = "t={0}")
    @ValueSource(strings = {"p", "e", "c", "f", "d", "x"})
    void everyTypeKeepsAGivenName(final String wire)
    {
        assertAccepted(j("{'t':'" + wire + "','n':'Signup','u':'" + URL + "'}"));
        assertEquals(EventType.fromWire(wire.charAt(0)), beacon.type());
        assertEquals("Signup", beacon.name().toString());
    }

    @Test
    void customEventNeedsAName()
    {
        assertAccepted(j("{'t':'e','n':'Purchase','u':'" + URL + "'}"));
        assertEquals(EventType.CUSTOM, beacon.type());
        assertEquals("Purchase", beacon.name().toString());

        assertRejected(MISSING_FIELD, j("{'t':'e','u':'" + URL + "'}"));
        assertRejected(MISSING_FIELD, j("{'t':'e','n':null,'u':'" + URL + "'}"));
        assertRejected(MISSING_FIELD, j("{'t':'e','n':'','u':'" + URL + "'}"));
    }

    @Test
    void namesAreCaseSensitive()
    {
        assertAccepted(j("{'t':'e','n':'Purchase','u':'" + URL + "'}"));
        assertEquals("Purchase", beacon.name().toString());
        assertAccepted(j("{'t':'e','n':'purchase','u':'" + URL + "'}"));
        assertEquals("purchase", beacon.name().toString());
    }

    @Test
    void typeIsRequired()
    {
        assertRejected(MISSING_FIELD, j("{'u':'" + URL + "'}"));
        assertRejected(MISSING_FIELD, j("{'t':null,'u':'" + URL + "'}"));
    }

    @Test
    void withoutATypeANamedBodyIsPlausibles()
    {
        assertAccepted(j("{'n':'Purchase','u':'" + URL + "','d':'shop.example','r':null,'w':1280,'h':0}"));
        assertEquals(EventType.CUSTOM, beacon.type());
        assertEquals("Purchase", beacon.name().toString());
        assertEquals(0, beacon.target().length(), "the script's numeric h is its hash-routing flag, not a target");
        assertAccepted(j("{'n':'pageview','u':'" + URL + "'}"));
        assertEquals(EventType.PAGEVIEW, beacon.type());

        assertAccepted(j("{'name':'Signup','url':'" + URL + "','domain':'shop.example','referrer':'https://news.example/'," +
            "'props':{'plan':'pro','seats':3,'trial':true},'revenue':{'currency':'eur','amount':'29.99'},'interactive':false}"));
        assertEquals("Signup", beacon.name().toString());
        assertEquals("https://news.example/", beacon.referrer().toString());
        assertEquals(3, beacon.propertyCount());
        assertEquals("seats", beacon.propertyKey(1).toString());
        assertEquals("3", beacon.propertyValue(1).toString());
        assertEquals("true", beacon.propertyValue(2).toString());
        assertTrue(beacon.hasRevenue());
        assertEquals(2999, beacon.revenueUnscaled());
        assertEquals(2, beacon.revenueScale());
        assertEquals('E', beacon.currencyByte(0));

        assertAccepted(j("{'name':'Paid','url':'" + URL + "','revenue':{'amount':12.5}}"));
        assertEquals(125, beacon.revenueUnscaled());
        assertEquals('U', beacon.currencyByte(0), "USD by default");
        assertAccepted(j("{'name':'Paid','url':'" + URL + "','revenue':{'amount':'0.00'}}"));
        assertEquals(0, beacon.revenueUnscaled());
        assertEquals(0, beacon.revenueScale(), "a zero amount is 0 whatever its scale");
        assertRejected(DUPLICATE_KEY, j("{'name':'A','n':'B','url':'" + URL + "'}"));
        assertRejected(DUPLICATE_KEY, j("{'name':'A','url':'" + URL + "','props':{},'mk':[]}"));
        // Plausible drops a bad property or revenue and keeps the event (docs/plausible.md)
        assertAccepted(j("{'name':'A','url':'" + URL + "','props':{'k':null}}"));
        assertEquals(0, beacon.propertyCount());
        assertEquals(1, beacon.dropped().count(DropReason.PROP_VALUE));
        assertAccepted(j("{'name':'A','url':'" + URL + "','props':['k']}"));
        assertEquals(1, beacon.dropped().count(DropReason.PROPS_INVALID));
        assertAccepted(j("{'name':'A','url':'" + URL + "','revenue':{'amount':'$5'}}"));
        assertFalse(beacon.hasRevenue());
        assertEquals(1, beacon.dropped().count(DropReason.REVENUE));
        assertAccepted(j("{'name':'A','url':'" + URL + "','revenue':{'currency':'EUR'}}"));
        assertFalse(beacon.hasRevenue());
        assertEquals("revenue=1", beacon.dropped().toString());
        assertRejected(WRONG_TYPE, j("{'t':'c','h':5,'u':'" + URL + "'}"));
    }

    @Test
    void plausiblePropsMayBeAStringHoldingTheObject()
    {
        assertAccepted(j("{'n':'Signup','u':'" + URL + "','p':'{\\'plan\\':\\'pro\\',\\'seats\\':3,\\'note\\':\\'a\\\\u00e9\\'}'}"));
        assertEquals(3, beacon.propertyCount());
        assertEquals("plan", beacon.propertyKey(0).toString());
        assertEquals("pro", beacon.propertyValue(0).toString());
        assertEquals("3", beacon.propertyValue(1).toString());
        assertEquals("a\u00e9", beacon.propertyValue(2).toString(), "an escape inside the string's object is decoded too");
        assertEquals("Signup", beacon.name().toString(), "fields before the string stay intact");

        assertAccepted(j("{'name':'A','props':' {} ','url':'" + URL + "'}"));
        assertEquals(0, beacon.propertyCount());
        assertEquals(URL, beacon.url().toString(), "fields after the string are read from the body again");

        // a string holding no JSON object is no properties, as for Plausible: the event is kept
        for (final String notAnObject : new String[] {"'plan=pro'", "'[1]'", "'{} {}'", "'{\\'k\\':\\'v\\''",
            "'{\\'k\\':\\'v\\',\\'b\\':[}'"})
        {
            assertAccepted(j("{'name':'A','url':'" + URL + "','props':" + notAnObject + "}"));
            assertEquals(0, beacon.propertyCount(), notAnObject);
            assertEquals("props_invalid=1", beacon.dropped().toString(), notAnObject);
        }
        assertAccepted(j("{'name':'A','url':'" + URL + "','props':'{\\'k\\':null,\\'a\\':1}'}"));
        assertEquals(1, beacon.propertyCount());
        assertEquals("prop_value=1", beacon.dropped().toString());
        assertRejected(DUPLICATE_KEY, j("{'name':'A','url':'" + URL + "','props':'{\\'k\\':1,\\'k\\':2}'}"));
        assertEquals(j("{'name':'A','url':'" + URL + "','props':").length(), decoder.errorOffset(),
            "an error inside the string points at the string");
    }

    @Test
    void urlIsRequired()
    {
        assertRejected(MISSING_FIELD, j("{'t':'p'}"));
        assertRejected(MISSING_FIELD, j("{'t':'p','u':null}"));
        assertRejected(MISSING_FIELD, j("{'t':'p','d':'shop.example','r':'" + URL + "'}"));
        assertRejected(MISSING_FIELD, "{}");
        assertRejected(MISSING_FIELD, " { } ");
    }

    @ParameterizedTest(name = "t=\"{0}\"")
    @ValueSource(strings = {"q", "P", "E", "pp", "", "ep", " p", "\u00e9", "\\u0000"})
    void unknownTypeIsRejected(final String wire)
    {
        assertRejected(UNKNOWN_TYPE, j("{'t':'" + wire + "','u':'" + URL + "'}"));
    }

    @Test
    void typeMayBeEscaped()
    {
        assertAccepted(j("{'t':'\\u0065','n':'A','u':'" + URL + "'}"));
        assertEquals(EventType.CUSTOM, beacon.type());
    }

    @ParameterizedTest(name = "t={0}")
    @ValueSource(strings = {"5", "true", "false", "['p']", "{'t':'p'}"})
    void typeOfTheWrongJsonTypeIsRejected(final String value)
    {
        assertRejected(WRONG_TYPE, j("{'t':" + value + ",'u':'" + URL + "'}"));
    }

    // ------------------------------------------------------------------------------------- string fields

    @Test
    void everyStringFieldIsDecoded()
    {
        assertAccepted(j("{'t':'c','n':'Out','u':'https://blog.example/review?a=1','d':'shop.example'," +
            "'r':'https://news.example/','h':'https://www.amazon.de/dp/B08N5WRWNW','x':'Buy now','ti':'Title'," +
            "'fn':'contact','fi':'wpcf7-f42','fp':'cf7','el':'label','ea':'action','ec':'category'}"));
        assertEquals(EventType.CLICK, beacon.type());
        assertEquals("Out", beacon.name().toString());
        assertEquals("https://blog.example/review?a=1", beacon.url().toString());
        assertEquals("shop.example", beacon.domain().toString());
        assertEquals("https://news.example/", beacon.referrer().toString());
        assertEquals("https://www.amazon.de/dp/B08N5WRWNW", beacon.target().toString());
        assertEquals("Buy now", beacon.text().toString());
        assertEquals("Title", beacon.title().toString());
        assertEquals("contact", beacon.formName().toString());
        assertEquals("wpcf7-f42", beacon.formId().toString());
        assertEquals("cf7", beacon.formPlugin().toString());
        assertEquals("label", beacon.label().toString());
        assertEquals("action", beacon.action().toString());
        assertEquals("category", beacon.category().toString());
    }

    @ParameterizedTest(name = "{0}:null")
    @ValueSource(strings = {"d", "r", "h", "x", "ti", "fn", "fi", "fp", "el", "ea", "ec"})
    void nullForAnOptionalStringIsAbsent(final String key)
    {
        assertAccepted(j(pageview(",'" + key + "':null")));
        assertFalse(field(beacon, key).isPresent());
        assertEquals(EventType.PAGEVIEW, beacon.type());
        assertEquals(URL, beacon.url().toString());

        assertAccepted(j(pageview(",'" + key + "':'set'")));
        assertEquals("set", field(beacon, key).toString());
    }

    static Stream<Arguments> stringFieldsWithWrongTypes()
    {
        final List<Arguments> cases = new ArrayList<>();
        final List<String> keys = new ArrayList<>(List.of(OPTIONAL_STRING_FIELDS));
        keys.add("n");
        keys.add("u");
        for (final String key : keys)
        {
            for (final String value : new String[]{"5", "-1.5", "true", "false", "[]", "['a']", "{}", "{'a':'b'}"})
            {
                cases.add(Arguments.of(key, value));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}:{1}")
    @MethodSource("stringFieldsWithWrongTypes")
    void stringFieldOfTheWrongTypeIsRejected(final String key, final String value)
    {
        final String body = "u".equals(key) ?
            "{'t':'p','u':" + value + "}" : "{'t':'p','u':'" + URL + "','" + key + "':" + value + "}";
        assertRejected(WRONG_TYPE, j(body));
    }

    @Test
    void plainStringsAreViewsOfTheBodyAndEscapedOnesAreNot()
    {
        assertAccepted(j("{'t':'e','n':'A\\u0042','u':'" + URL + "'}"));
        assertSame(lastBody, beacon.url().buffer(), "a string without escapes is a view of the body");
        assertNotSame(lastBody, beacon.name().buffer(), "a string with escapes is unescaped elsewhere");
        assertEquals("AB", beacon.name().toString());
    }

    // ------------------------------------------------------------------------------------- properties

    @Test
    void propertiesAreKeptInOrder()
    {
        assertAccepted(j(custom(",'mk':['product','category'],'mv':['Pro Plan','Subscription']")));
        assertEquals(2, beacon.propertyCount());
        assertEquals(0, beacon.droppedPropertyCount());
        assertEquals("product", beacon.propertyKey(0).toString());
        assertEquals("Pro Plan", beacon.propertyValue(0).toString());
        assertEquals("category", beacon.propertyKey(1).toString());
        assertEquals("Subscription", beacon.propertyValue(1).toString());
    }

    @Test
    void propertyArraysMayComeInAnyOrderAndWithWhitespace()
    {
        assertAccepted(j(custom(", 'mv' : [ 'x' , 2 ] , 'mk' : [ 'a' , 'b' ] ")));
        assertEquals(2, beacon.propertyCount());
        assertEquals("a", beacon.propertyKey(0).toString());
        assertEquals("x", beacon.propertyValue(0).toString());
        assertEquals("b", beacon.propertyKey(1).toString());
        assertEquals("2", beacon.propertyValue(1).toString());
    }

    @Test
    void thirtyPropertiesAreAllKept()
    {
        assertAccepted(j(custom(properties(30))));
        assertEquals(30, beacon.propertyCount());
        assertEquals(0, beacon.droppedPropertyCount());
        for (int i = 0; i < 30; i++)
        {
            assertEquals("k" + i, beacon.propertyKey(i).toString());
            assertEquals("v" + i, beacon.propertyValue(i).toString());
        }
    }

    @Test
    void theThirtyFirstPropertyIsDroppedAndCounted()
    {
        assertAccepted(j(custom(properties(31))));
        assertEquals(30, beacon.propertyCount());
        assertEquals(1, beacon.droppedPropertyCount());
        assertEquals("k29", beacon.propertyKey(29).toString());
        assertEquals("v29", beacon.propertyValue(29).toString());
    }

    @Test
    void manyPropertiesPastThirtyAreDroppedAndCounted()
    {
        assertAccepted(j(custom(properties(100))));
        assertEquals(30, beacon.propertyCount());
        assertEquals(70, beacon.droppedPropertyCount());
        assertEquals("k0", beacon.propertyKey(0).toString());
        assertEquals("v29", beacon.propertyValue(29).toString());
    }

    private static String keysThenValues(final String lastKey, final String lastValue)
    {
        final StringBuilder keys = new StringBuilder(",'mk':[");
        final StringBuilder values = new StringBuilder(",'mv':[");
        for (int i = 0; i < 30; i++)
        {
            keys.append("'k").append(i).append("',");
            values.append("'v").append(i).append("',");
        }
        return keys.append(lastKey).append(']').append(values).append(lastValue).append(']').toString();
    }

    @Test
    void keysPastThirtyAreStillValidated()
    {
        assertAccepted(j(custom(keysThenValues("'k30'", "'v30'"))));
        assertEquals(1, beacon.droppedPropertyCount());
        assertRejected(KEY_TOO_LONG, j(custom(keysThenValues("'" + repeat("k", 301) + "'", "'v30'"))));
        assertRejected(WRONG_TYPE, j(custom(keysThenValues("5", "'v30'"))));
        assertRejected(WRONG_TYPE, j(custom(keysThenValues("null", "'v30'"))));
        assertRejected(INVALID_ESCAPE, j(custom(keysThenValues("'\\q'", "'v30'"))));
        final String[] around = j(custom(keysThenValues("'@'", "'v30'"))).split("@");
        assertRejected(INVALID_UTF8, bytes(around[0], new int[]{0xC0, 0x80}, around[1]));
    }

    @Test
    void valuesPastThirtyAreStillValidated()
    {
        assertRejected(WRONG_TYPE, j(custom(keysThenValues("'k30'", "null"))));
        assertRejected(WRONG_TYPE, j(custom(keysThenValues("'k30'", "[]"))));
        assertRejected(WRONG_TYPE, j(custom(keysThenValues("'k30'", "{'a':1}"))));
        assertRejected(INVALID_ESCAPE, j(custom(keysThenValues("'k30'", "'\\ud83d'"))));
        assertRejected(INVALID_JSON, j(custom(keysThenValues("'k30'", "01"))));
        assertRejected(INVALID_JSON, j(custom(keysThenValues("'k30'", "tru"))));
        final String[] around = j(custom(keysThenValues("'k30'", "'@'"))).split("@");
        assertRejected(INVALID_UTF8, bytes(around[0], new int[]{0xED, 0xA0, 0x80}, around[1]));
    }

    @Test
    void propertyArraysOfDifferentLengthsAreRejected()
    {
        assertRejected(PROPS_MISMATCH, j(custom(",'mk':['a','b'],'mv':['1']")));
        assertRejected(PROPS_MISMATCH, j(custom(",'mk':['a'],'mv':['1','2']")));
        assertRejected(PROPS_MISMATCH, j(custom(",'mk':['a']")));
        assertRejected(PROPS_MISMATCH, j(custom(",'mv':['1']")));
        assertRejected(PROPS_MISMATCH, j(custom(",'mk':[],'mv':['1']")));
        assertRejected(PROPS_MISMATCH, j(custom(",'mk':['a'],'mv':null")));
        assertRejected(PROPS_MISMATCH, j(custom(keysThenValues("'k30'", "'v30','v31'"))));
        assertRejected(PROPS_MISMATCH, j(custom(keysThenValues("'k30','k31'", "'v30'"))));
        assertRejected(PROPS_MISMATCH, j(custom(keysThenValues("'k30'", "").replace(",]", "]"))));
    }

    @Test
    void emptyOrNullPropertyArraysAreNoProperties()
    {
        assertAccepted(j(custom(",'mk':[],'mv':[]")));
        assertEquals(0, beacon.propertyCount());
        assertAccepted(j(custom(",'mk':[ ],'mv':[\n]")));
        assertEquals(0, beacon.propertyCount());
        assertAccepted(j(custom(",'mk':null,'mv':null")));
        assertEquals(0, beacon.propertyCount());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"'mk':'a','mv':['1']", "'mk':{},'mv':[]", "'mk':5,'mv':[]", "'mk':[1],'mv':['1']",
        "'mk':[null],'mv':['1']", "'mk':[['a']],'mv':['1']", "'mk':[true],'mv':['1']", "'mk':['a'],'mv':'1'",
        "'mk':['a'],'mv':{'a':'1'}", "'mk':['a'],'mv':5", "'mk':['a'],'mv':true"})
    void propertyArraysOfTheWrongTypeAreRejected(final String members)
    {
        assertRejected(WRONG_TYPE, j(custom("," + members)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "42|42",
        "false|false",
        "true|true",
        "1.5|1.5",
        "-0.5e3|-0.5e3",
        "0|0",
        "-0|-0",
        "1E+2|1E+2",
        "2.50|2.50",
        "123456789012345678901234567890|123456789012345678901234567890",
        "1e99999|1e99999"})
    void numbersAndBooleansInValuesKeepTheirText(final String json, final String text)
    {
        assertAccepted(j(custom(",'mk':['a','b'],'mv':[" + json + ", " + json + " ]")));
        assertEquals(2, beacon.propertyCount());
        assertEquals(text, beacon.propertyValue(0).toString());
        assertEquals(text, beacon.propertyValue(1).toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"null", "[]", "{}", "['a']", "{'a':'b'}", "[null]"})
    void nullOrNestedValuesAreRejected(final String value)
    {
        assertRejected(WRONG_TYPE, j(custom(",'mk':['a'],'mv':[" + value + "]")));
        assertRejected(WRONG_TYPE, j(custom(",'mk':['a','b'],'mv':['x'," + value + "]")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"'mk':['a',],'mv':['1']", "'mk':['a'],'mv':['1',]", "'mk':['a' 'b'],'mv':['1','2']",
        "'mk':['a'],'mv':[01]", "'mk':['a'],'mv':[1.]", "'mk':['a'],'mv':[-]", "'mk':['a'],'mv':[1e]",
        "'mk':['a'],'mv':[.5]", "'mk':[,],'mv':[]", "'mk':['a'],'mv':[tru]", "'mk':['a'],'mv':[nul]",
        "'mk':['a'],'mv':[undefined]", "'mk':[a],'mv':[1]", "'mk':['a'],'mv':['1'}", "'mk':['a'}", "'mk':['a'],'mv':[,]"})
    void malformedPropertyArraysAreNotJson(final String members)
    {
        assertRejected(INVALID_JSON, j(custom("," + members)));
    }

    @Test
    void truncatedPropertyArraysAreNotJson()
    {
        assertRejected(INVALID_JSON, j("{'t':'p','u':'" + URL + "','mk':['a'"));
        assertRejected(INVALID_JSON, j("{'t':'p','u':'" + URL + "','mk':['a',"));
        assertRejected(INVALID_JSON, j("{'t':'p','u':'" + URL + "','mk':["));
        assertRejected(INVALID_JSON, j("{'t':'p','u':'" + URL + "','mk':[ "));
        assertRejected(INVALID_JSON, j("{'t':'p','u':'" + URL + "','mv':[1"));
        assertRejected(INVALID_JSON, j("{'t':'p','u':'" + URL + "','mv':[true"));
    }

    // ------------------------------------------------------------------------------------- 2,000 characters

    private String valueAfterCut(final String value)
    {
        assertAccepted(j(custom(",'mk':['a'],'mv':['" + value + "']")));
        return beacon.propertyValue(0).toString();
    }

    @Test
    void aValueOfExactly2000CharactersIsKeptWhole()
    {
        assertEquals(repeat("a", 2000), valueAfterCut(repeat("a", 2000)));
    }

    @Test
    void aValueOf2001CharactersIsCutTo2000()
    {
        assertEquals(repeat("a", 2000), valueAfterCut(repeat("a", 2001)));
        assertEquals(repeat("a", 2000), valueAfterCut(repeat("a", 5000)));
    }

    @Test
    void charactersAreCountedNotBytes()
    {
        assertEquals(repeat("\u00e9", 2000), valueAfterCut(repeat("\u00e9", 2001)));
        assertEquals(4000, beacon.propertyValue(0).length());
        assertEquals(repeat("\u20ac", 2000), valueAfterCut(repeat("\u20ac", 2000)));
        assertEquals(repeat("\u20ac", 2000), valueAfterCut(repeat("\u20ac", 2500)));
        assertEquals(6000, beacon.propertyValue(0).length());
        assertEquals(repeat("\u00e9", 1000) + repeat("a", 1000), valueAfterCut(repeat("\u00e9", 1000) + repeat("a", 1001)));
        assertEquals(repeat("a", 1000) + repeat("\u00e9", 1000), valueAfterCut(repeat("a", 1000) + repeat("\u00e9", 1001)));
    }

    @Test
    void aRawEmojiAcrossTheLimitIsNeverSplit()
    {
        assertEquals(repeat("a", 1999), valueAfterCut(repeat("a", 1999) + EMOJI));
        assertEquals(1999, beacon.propertyValue(0).length());
        assertEquals(repeat("a", 1999), valueAfterCut(repeat("a", 1999) + EMOJI + "bcd"));
        assertEquals(repeat("a", 1998) + EMOJI, valueAfterCut(repeat("a", 1998) + EMOJI));
        assertEquals(repeat("a", 1998) + EMOJI, valueAfterCut(repeat("a", 1998) + EMOJI + "b"));
        assertEquals(repeat(EMOJI, 1000), valueAfterCut(repeat(EMOJI, 1000)));
        assertEquals(repeat(EMOJI, 1000), valueAfterCut(repeat(EMOJI, 1001)));
        assertEquals("a" + repeat(EMOJI, 999), valueAfterCut("a" + repeat(EMOJI, 1000)));
    }

    @Test
    void anEscapedEmojiAcrossTheLimitIsNeverSplit()
    {
        assertEquals(repeat("a", 1999), valueAfterCut(repeat("a", 1999) + EMOJI_ESCAPED));
        assertEquals(repeat("a", 1999), valueAfterCut(repeat("a", 1999) + EMOJI_ESCAPED + "bc"));
        assertEquals(repeat("a", 1998) + EMOJI, valueAfterCut(repeat("a", 1998) + EMOJI_ESCAPED));
        assertEquals(repeat("a", 1998) + EMOJI, valueAfterCut(repeat("a", 1998) + EMOJI_ESCAPED + "b"));
        assertEquals(repeat(EMOJI, 1000), valueAfterCut(repeat(EMOJI_ESCAPED, 1001)));
        assertEquals("a" + repeat(EMOJI, 999), valueAfterCut("a" + repeat(EMOJI_ESCAPED, 1000)));
        assertEquals(EMOJI + repeat("a", 1997), valueAfterCut(EMOJI_ESCAPED + repeat("a", 1997) + EMOJI));
        assertEquals(EMOJI + repeat("a", 1996) + EMOJI, valueAfterCut(EMOJI_ESCAPED + repeat("a", 1996) + EMOJI));
    }

    @Test
    void aRawEmojiAfterAnEscapeAcrossTheLimitIsNeverSplit()
    {
        assertEquals("\n" + repeat("a", 1998), valueAfterCut("\\n" + repeat("a", 1998) + EMOJI));
        assertEquals("\n" + repeat("a", 1997) + EMOJI, valueAfterCut("\\n" + repeat("a", 1997) + EMOJI + "z"));
        assertEquals(repeat("\t", 2000), valueAfterCut(repeat("\\t", 2001)));
        assertEquals(repeat("a", 1999) + "\u00e9", valueAfterCut(repeat("a", 1999) + "\\u00e9\\u00e9"));
        assertEquals(repeat("a", 2000), valueAfterCut(repeat("a", 2001) + "\\n"));
        assertEquals(repeat("a", 2000), valueAfterCut(repeat("a", 2000) + "\\n" + EMOJI_ESCAPED));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"u", "d", "r", "h", "x", "ti", "fn", "fi", "fp", "el", "ea", "ec"})
    void everyStringFieldIsCutTo2000Characters(final String key)
    {
        final String value = "u".equals(key) ? URL + repeat("p", 2001) : repeat("v", 2001);
        final String body = "u".equals(key) ? "{'t':'p','u':'" + value + "'}" : pageview(",'" + key + "':'" + value + "'");
        assertAccepted(j(body));
        assertEquals(value.substring(0, 2000), field(beacon, key).toString());

        final String emojiValue = repeat("v", 1999) + EMOJI;
        final String emojiBody = "u".equals(key) ?
            "{'t':'p','u':'" + emojiValue + "'}" : pageview(",'" + key + "':'" + emojiValue + "'");
        assertAccepted(j(emojiBody));
        assertEquals(repeat("v", 1999), field(beacon, key).toString());
    }

    // ------------------------------------------------------------------------------------- revenue

    @ParameterizedTest(name = "ra={0}")
    @CsvSource({
        "29.99, 2999, 2",
        "25, 25, 0",
        "1e2, 100, 0",
        "1E2, 100, 0",
        "1e+2, 100, 0",
        "1.5e1, 15, 0",
        "2.5e-1, 25, 2",
        "0, 0, 0",
        "-0, 0, 0",
        "-0.0, 0, 0",
        "0.00, 0, 0",
        "-0.0e5, 0, 0",
        "0e-30, 0, 0",
        "0.000e-2, 0, 0",
        "0.10, 10, 2",
        "49.990, 49990, 3",
        "9223372036854775807, 9223372036854775807, 0",
        "0.123456789012345678, 123456789012345678, 18"})
    void revenueIsKeptExact(final String json, final long unscaled, final int scale)
    {
        assertAccepted(j(custom(",'ra':" + json)));
        assertTrue(beacon.hasRevenue());
        assertEquals(unscaled, beacon.revenueUnscaled());
        assertEquals(scale, beacon.revenueScale());
        assertCurrency("USD");
    }

    private void assertCurrency(final String expected)
    {
        assertEquals(expected, "" + (char)beacon.currencyByte(0) + (char)beacon.currencyByte(1) +
            (char)beacon.currencyByte(2));
    }

    @ParameterizedTest(name = "ra={0}")
    @ValueSource(strings = {"-1", "-0.01", "-1e2", "-29.99"})
    void negativeRevenueIsRejected(final String json)
    {
        assertRejected(INVALID_REVENUE, j(custom(",'ra':" + json)));
    }

    @ParameterizedTest(name = "ra={0}")
    @ValueSource(strings = {"'49.99'", "'$49.99'", "''", "true", "false", "[1]", "{}", "'NaN'", "'Infinity'"})
    void revenueThatIsNotANumberIsRejected(final String json)
    {
        assertRejected(INVALID_REVENUE, j(custom(",'ra':" + json)));
    }

    @ParameterizedTest(name = "ra={0}")
    @ValueSource(strings = {"9223372036854775808", "1e19", "0.1234567890123456789", "1e-19", "1e400",
        "1e99999999999", "123456789012345678901234567890"})
    void revenueThatDoesNotFitIsRejected(final String json)
    {
        assertRejected(INVALID_REVENUE, j(custom(",'ra':" + json)));
    }

    @ParameterizedTest(name = "ra={0}")
    @ValueSource(strings = {"1.", "01", "1e", "1e+", "-", "1.5x", "1.e2", "--1", "0x10", ".5", "+1", "Infinity", "NaN",
        "-Infinity", "tru", "}"})
    void malformedRevenueNumberIsNotJson(final String json)
    {
        assertRejected(INVALID_JSON, j(custom(",'ra':" + json)));
    }

    @Test
    void nullRevenueIsAbsent()
    {
        assertAccepted(j(custom(",'ra':null")));
        assertFalse(beacon.hasRevenue());
        assertAccepted(j(custom(",'ra':null,'rc':'EUR'")));
        assertFalse(beacon.hasRevenue());
    }

    @ParameterizedTest(name = "rc={0}")
    @CsvSource({"eur, EUR", "Eur, EUR", "EUR, EUR", "usd, USD", "jPy, JPY", "\\u0065ur, EUR"})
    void currencyIsUpperCased(final String given, final String stored)
    {
        assertAccepted(j(custom(",'ra':49.99,'rc':'" + given + "'")));
        assertTrue(beacon.hasRevenue());
        assertEquals(4999, beacon.revenueUnscaled());
        assertEquals(2, beacon.revenueScale());
        assertCurrency(stored);

        assertAccepted(j(custom(",'rc':'" + given + "','ra':49.99")));
        assertCurrency(stored);
    }

    @Test
    void currencyDefaultsToUsdWhenRevenueIsGiven()
    {
        assertAccepted(j(custom(",'ra':25")));
        assertCurrency("USD");
        assertAccepted(j(custom(",'ra':25,'rc':null")));
        assertCurrency("USD");
        assertAccepted(j(custom(",'rc':'EUR'")));
        assertFalse(beacon.hasRevenue(), "a currency alone is no revenue");
    }

    @ParameterizedTest(name = "rc={0}")
    @ValueSource(strings = {"'EU'", "'E1R'", "5", "'EURO'", "''", "'E'", "'\u20acUR'", "'E R'", "'e-r'", "true", "['EUR']",
        "{}", "'\u00e9ur'"})
    void badCurrencyIsRejected(final String json)
    {
        assertRejected(INVALID_CURRENCY, j(custom(",'ra':1,'rc':" + json)));
        assertRejected(INVALID_CURRENCY, j(custom(",'rc':" + json)));
    }

    @ParameterizedTest(name = "rc={0}")
    @ValueSource(strings = {"ZZZ", "XXA", "zzz", "AAA", "QQQ"})
    void threeLettersThatAreNoIso4217CodeAreRejected(final String code)
    {
        assertRejected(INVALID_CURRENCY, j(custom(",'ra':1,'rc':'" + code + "'")));
        assertEquals("'rc' is not an ISO 4217 currency code", decoder.errorDetail());
        // Plausible's revenue with such a currency is dropped, the event kept (docs/plausible.md)
        assertAccepted(j("{'name':'Paid','url':'" + URL + "','revenue':{'amount':'1','currency':'" + code + "'}}"));
        assertFalse(beacon.hasRevenue());
        assertEquals("revenue=1", beacon.dropped().toString());
    }

    // Plausible's revenue object is an object like the beacon's own: the same grammar, the same key rules

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{'amount':'1' 'currency':'EUR'}",
        "{'currency':'EUR' 'amount':'1'}",
        "{'amount':1 'zz':2}"})
    void aRevenueObjectWithAMissingCommaIsNotJson(final String revenue)
    {
        assertRejected(INVALID_JSON, j("{'name':'Paid','url':'" + URL + "','revenue':" + revenue + "}"));
        assertEquals("expected ',' or '}'", decoder.errorDetail());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{'amount':'1',}", "{'amount':'1','currency':'EUR' , }", "{,}", "{'amount':'1',,'currency':'EUR'}"})
    void aRevenueObjectWithATrailingCommaIsNotJson(final String revenue)
    {
        assertRejected(INVALID_JSON, j("{'name':'Paid','url':'" + URL + "','revenue':" + revenue + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{'amount':'1','amount':'2'}",
        "{'amount':1,'currency':'EUR','amount':2}",
        "{'currency':'EUR','currency':'USD','amount':1}",
        "{'amount':'1','zz':1,'zz':2}"})
    void aRevenueObjectWithAKeyGivenTwiceIsRejected(final String revenue)
    {
        assertRejected(DUPLICATE_KEY, j("{'name':'Paid','url':'" + URL + "','revenue':" + revenue + "}"));
    }

    // ------------------------------------------------------------------------------------- v and sec

    @ParameterizedTest(name = "{0}")
    @CsvSource({"12.50, 1250, 2", "0, 0, 0", "-0.00, 0, 0", "7, 7, 0", "1e2, 100, 0", "1e-2, 1, 2", "30.000, 30000, 3",
        "9223372036854775807, 9223372036854775807, 0"})
    void valueAndSecondsAreKeptExact(final String json, final long unscaled, final int scale)
    {
        assertAccepted(j("{'t':'x','u':'" + URL + "','v':" + json + ",'sec':" + json + "}"));
        assertTrue(beacon.hasValue());
        assertEquals(unscaled, beacon.valueUnscaled());
        assertEquals(scale, beacon.valueScale());
        assertTrue(beacon.hasSeconds());
        assertEquals(unscaled, beacon.secondsUnscaled());
        assertEquals(scale, beacon.secondsScale());
        assertFalse(beacon.hasRevenue());
    }

    @Test
    void valueAndSecondsAreIndependent()
    {
        assertAccepted(j(pageview(",'v':5")));
        assertTrue(beacon.hasValue());
        assertFalse(beacon.hasSeconds());
        assertAccepted(j(pageview(",'sec':5")));
        assertFalse(beacon.hasValue());
        assertTrue(beacon.hasSeconds());
        assertAccepted(j(pageview(",'v':null,'sec':null")));
        assertFalse(beacon.hasValue());
        assertFalse(beacon.hasSeconds());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-1", "-0.5", "-1e-2", "1e400", "9223372036854775808", "1e-19"})
    void negativeOrOutOfRangeValueOrSecondsIsRejected(final String json)
    {
        assertRejected(INVALID_NUMBER, j(pageview(",'v':" + json)));
        assertRejected(INVALID_NUMBER, j(pageview(",'sec':" + json)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"'5'", "true", "[]", "{}", "''"})
    void valueOrSecondsOfTheWrongTypeIsRejected(final String json)
    {
        assertRejected(WRONG_TYPE, j(pageview(",'v':" + json)));
        assertRejected(WRONG_TYPE, j(pageview(",'sec':" + json)));
    }

    // ------------------------------------------------------------------------------------- duplicate keys

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{'t':'p','t':'e','u':'https://shop.example/'}",
        "{'t':'p','u':'https://shop.example/','u':'https://shop.example/'}",
        "{'t':'p','u':'https://shop.example/','d':null,'d':'x'}",
        "{'t':'e','n':'A','u':'https://shop.example/','mk':['a'],'mv':['b'],'mk':['a']}",
        "{'t':'e','n':'A','u':'https://shop.example/','ra':1,'ra':2}",
        "{'t':'e','n':'A','u':'https://shop.example/','sec':1,'sec':1}",
        "{'t':'p','u':'https://shop.example/','zz':1,'zz':2}",
        "{'zz':{'a':1},'t':'p','yy':2,'u':'https://shop.example/','zz':[]}",
        "{'t':'p','u':'https://shop.example/','z\\u007a':1,'zz':2}",
        "{'\\u0074':'p','t':'p','u':'https://shop.example/'}",
        "{'t':'p','u':'https://shop.example/','\u00e9':1,'\\u00e9':2}"})
    void aKeyGivenTwiceIsRejected(final String body)
    {
        assertRejected(DUPLICATE_KEY, j(body));
    }

    /** A property is a key like any other: given twice in {@code mk}, a {@code props} object, or a props string, 400. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{'t':'e','n':'A','u':'https://shop.example/','mk':['a','b','a'],'mv':['1','2','3']}",
        "{'t':'e','n':'A','u':'https://shop.example/','mk':['a','\\u0061'],'mv':['1','2']}",
        "{'name':'A','url':'https://shop.example/','props':{'plan':'pro','plan':'free'}}",
        "{'name':'A','url':'https://shop.example/','props':{'\\u00e9':1,'\u00e9':2}}",
        "{'name':'A','url':'https://shop.example/','props':'{\\\"a\\\":1,\\\"a\\\":2}'}"})
    void aPropertyKeyGivenTwiceIsRejected(final String body)
    {
        assertRejected(DUPLICATE_KEY, j(body));
    }

    @Test
    void aKeyPastTheThirtyKeptThatRepeatsAKeptOneIsRejected()
    {
        assertRejected(DUPLICATE_KEY, j(custom(keysThenValues("'k0'", "'v30'"))));
        assertRejected(DUPLICATE_KEY, j(custom(keysThenValues("'k29'", "'v30'"))));
        assertAccepted(j(custom(keysThenValues("'k30'", "'v30'"))));
    }

    @Test
    void propertyKeysThatDifferAreNotDuplicates()
    {
        assertAccepted(j("{'name':'A','url':'https://shop.example/','props':{'a':1,'A':2,'aa':3,'b':'a'}}"));
        assertEquals(4, beacon.propertyCount());
        assertAccepted(j("{'t':'e','n':'A','u':'https://shop.example/','mk':['a','A','a '],'mv':['a','a','a']}"));
        assertEquals(3, beacon.propertyCount());
        // the same length, first, last and middle bytes: only the bytes tell them apart
        assertAccepted(j("{'t':'e','n':'A','u':'https://shop.example/','mk':['abcdefghij','abcdXfghij'],'mv':['a','b']}"));
        assertEquals(2, beacon.propertyCount());
        assertRejected(DUPLICATE_KEY, j("{'t':'e','n':'A','u':'https://shop.example/','mk':['abcdefghij','abcdXfghij','abcdefghij'],'mv':['a','b','c']}"));
    }

    @Test
    void keysThatDifferAreNotDuplicates()
    {
        assertAccepted(j(pageview(",'T':'e','zz':1,'ZZ':2,'z':3,'zzz':4")));
        assertEquals(EventType.PAGEVIEW, beacon.type());
        assertAccepted(j(pageview(",'zz':{'t':'x','u':1},'yy':{'zz':2},'xx':['zz','zz']")));
        assertEquals(EventType.PAGEVIEW, beacon.type());
        assertEquals(URL, beacon.url().toString());
    }

    // ------------------------------------------------------------------------------------- unknown keys

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{'deep':[1,2,3]}",
        "[]",
        "{}",
        "[[],{},[{}],{'a':{}}]",
        "'plain'",
        "''",
        "'esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00 ] } , : {'",
        "'\u00e9\u20ac\uD83D\uDE00\u65e5'",
        "-1.5e-3",
        "0",
        "123456789012345678901234567890e999",
        "true",
        "false",
        "null",
        "{'t':'e','u':5,'mk':[1],'n':null}",
        "[1,'a',{'b':[null,true,false,-0.0]},[[['x']]]]",
        " [ 1 , { 'a' : 2 } , \n\t\r [ ] ] ",
        "{'\\u0074':'x','a\\\"b':{'c':'d'}}"})
    void unknownKeysAreSkippedWhateverTheyHold(final String value)
    {
        assertAccepted(j(pageview(",'zz':" + value)));
        assertEquals(EventType.PAGEVIEW, beacon.type());
        assertEquals("pageview", beacon.name().toString());
        assertEquals(URL, beacon.url().toString());
        assertEquals(0, beacon.propertyCount());

        assertAccepted(j("{'zz':" + value + ",'t':'e','n':'After','u':'" + URL + "','mk':['a'],'mv':['b']}"));
        assertEquals(EventType.CUSTOM, beacon.type());
        assertEquals("After", beacon.name().toString());
        assertEquals("b", beacon.propertyValue(0).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "[1,]|INVALID_JSON",
        "[,1]|INVALID_JSON",
        "{'a'}|INVALID_JSON",
        "{'a':1,}|INVALID_JSON",
        "{'a':}|INVALID_JSON",
        "{'a' 1}|INVALID_JSON",
        "{1:2}|INVALID_JSON",
        "{a:2}|INVALID_JSON",
        "tru|INVALID_JSON",
        "nul|INVALID_JSON",
        "[1 2]|INVALID_JSON",
        "[01]|INVALID_JSON",
        "[1.]|INVALID_JSON",
        "]|INVALID_JSON",
        "}|INVALID_JSON",
        "[}|INVALID_JSON",
        "{]|INVALID_JSON",
        "[1}|INVALID_JSON",
        "{'a':1]|INVALID_JSON",
        "'\\x'|INVALID_ESCAPE",
        "['\\ude00']|INVALID_ESCAPE",
        "{'\\u00G0':1}|INVALID_ESCAPE",
        "undefined|INVALID_JSON"})
    void malformedUnknownValuesAreRejected(final String value, final Outcome expected)
    {
        assertRejected(expected, j(pageview(",'zz':" + value)));
    }

    @Test
    void truncatedUnknownValuesAreNotJson()
    {
        for (final String value : new String[]{"", "[", "[1", "[1,", "{", "{'a'", "{'a':", "{'a':1", "{'a':1,", "'ab",
            "tr", "[[[[", "{'a':[{'b':"})
        {
            assertRejected(INVALID_JSON, j("{'t':'p','u':'" + URL + "','zz':" + value));
        }
    }

    private static String unknownKeys(final int count)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            out.append(",'unknown").append(i).append("':").append(i % 3 == 0 ? "{'a':[1]}" : "'x'");
        }
        return out.toString();
    }

    @Test
    void exactlyMaxUnknownKeysAreAccepted()
    {
        assertAccepted(j(pageview(unknownKeys(BeaconDecoder.MAX_UNKNOWN_KEYS))));
        assertEquals(EventType.PAGEVIEW, beacon.type());
    }

    @Test
    void moreThanMaxUnknownKeysAreRejected()
    {
        final String body = j(pageview(unknownKeys(BeaconDecoder.MAX_UNKNOWN_KEYS + 1)));
        assertRejected(TOO_MANY_KEYS, body);
        final int lastKey = body.indexOf("\"unknown" + BeaconDecoder.MAX_UNKNOWN_KEYS + "\"");
        assertTrue(decoder.errorOffset() >= lastKey, "the error is at the key past the limit: " + decoder.errorOffset());
        assertRejected(TOO_MANY_KEYS, j(pageview(unknownKeys(1000))));
    }

    @Test
    void knownKeysDoNotCountTowardsTheUnknownKeyLimit()
    {
        assertAccepted(j("{'t':'c','n':'N','u':'" + URL + "','d':'shop.example','r':'r','mk':['a'],'mv':[1],'ra':1," +
            "'rc':'EUR','v':2,'h':'h','x':'x','ti':'ti','fn':'fn','fi':'fi','fp':'fp','el':'el','ea':'ea','ec':'ec'," +
            "'sec':3" + unknownKeys(BeaconDecoder.MAX_UNKNOWN_KEYS) + "}"));
        assertEquals(EventType.CLICK, beacon.type());
        assertCurrency("EUR");
    }

    @Test
    void keysThatOnlyResembleKnownKeysAreUnknown()
    {
        assertAccepted(j(pageview(",'tt':'e','uu':1,'mkk':[1],'secs':'x','m':2,'RA':'x','n ':5,' t':[]")));
        assertEquals(EventType.PAGEVIEW, beacon.type());
        assertEquals(0, beacon.propertyCount());
        assertFalse(beacon.hasRevenue());
        assertFalse(beacon.hasSeconds());
    }

    // ------------------------------------------------------------------------------------- nesting

    @Test
    void nestingOfExactlyMaxDepthIsAccepted()
    {
        final int levels = BeaconDecoder.MAX_DEPTH - 1;
        assertAccepted(j(pageview(",'zz':" + nested("[", "1", "]", levels))));
        assertAccepted(j(pageview(",'zz':" + nested("[", "", "]", levels))));
        assertAccepted(j(pageview(",'zz':" + nested("{'a':", "1", "}", levels))));
        assertAccepted(j(pageview(",'zz':" + nested("{'a':", "{}", "}", levels - 1))));
        assertAccepted(j(pageview(",'zz':" + nested("[{'a':", "1", "}]", levels / 2) + ",'yy':[[1]]")));
    }

    @Test
    void nestingDeeperThanMaxDepthIsRejected()
    {
        final int levels = BeaconDecoder.MAX_DEPTH;
        final String prefix = j(pageview(",'zz':")).replace("}", "");
        final String arrays = j(pageview(",'zz':" + nested("[", "1", "]", levels)));
        assertRejected(TOO_DEEP, arrays);
        assertEquals(prefix.length() + levels - 1, decoder.errorOffset(), "at the bracket past the limit");
        assertRejected(TOO_DEEP, j(pageview(",'zz':" + nested("[", "", "]", levels))));
        assertRejected(TOO_DEEP, j(pageview(",'zz':" + nested("{'a':", "1", "}", levels))));
        assertRejected(TOO_DEEP, j(pageview(",'zz':" + nested("{'a':", "{}", "}", levels - 1))));
        assertRejected(TOO_DEEP, j(pageview(",'zz':" + nested("[{'a':", "[]", "}]", levels / 2))));
    }

    @Test
    void aHundredThousandOpenBracketsAreTooDeepWithoutStackOverflow()
    {
        final String body = j("{'t':'p','u':'" + URL + "','zz':") + repeat("[", 100_000);
        assertDoesNotThrow(() -> assertRejected(TOO_DEEP, body));
        final String balanced = j("{'t':'p','u':'" + URL + "','zz':") + nested("[", "", "]", 100_000) + "}";
        assertDoesNotThrow(() -> assertRejected(TOO_DEEP, balanced));
        final String objects = j("{'t':'p','u':'" + URL + "','zz':") + repeat("{\"a\":", 100_000);
        assertDoesNotThrow(() -> assertRejected(TOO_DEEP, objects));
    }

    // ------------------------------------------------------------------------------------- escapes

    @Test
    void simpleEscapesAreDecoded()
    {
        assertAccepted(j("{'t':'e','n':'a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti','u':'" + URL + "'}"));
        assertEquals("a\"b\\c/d\be\ff\ng\rh\ti", beacon.name().toString());
    }

    static Stream<Arguments> unicodeEscapes()
    {
        return Stream.of(
            Arguments.of("Caf\\u00e9", "Caf\u00e9"),
            Arguments.of("Caf\\u00E9", "Caf\u00e9"),
            Arguments.of("\\u0041\\u0062", "Ab"),
            Arguments.of("\\u0000", "\u0000"),
            Arguments.of("\\u001f", "\u001f"),
            Arguments.of("\\u007f", "\u007f"),
            Arguments.of("\\u0080", "\u0080"),
            Arguments.of("\\u07FF", "\u07ff"),
            Arguments.of("\\u0800", "\u0800"),
            Arguments.of("\\u20ac", "\u20ac"),
            Arguments.of("\\uffff", "\uffff"),
            Arguments.of("\\ud83d\\ude00", EMOJI),
            Arguments.of("\\uD83D\\uDE00", EMOJI),
            Arguments.of("\\ud800\\udc00", "\uD800\uDC00"),
            Arguments.of("\\udbff\\udfff", "\uDBFF\uDFFF"),
            Arguments.of("M\\u00fcnchen \\ud83d\\ude00", "M\u00fcnchen " + EMOJI),
            Arguments.of("\u00e9\\n\u20ac" + EMOJI + "\\ud83d\\ude00x", "\u00e9\n\u20ac" + EMOJI + EMOJI + "x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unicodeEscapes")
    void unicodeEscapesBecomeProperUtf8(final String json, final String expected)
    {
        assertAccepted(j(custom(",'mk':['k" + json + "'],'mv':['" + json + "'],'r':'" + json + "'")));
        final byte[] utf8 = expected.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(utf8, bytesOf(beacon.propertyValue(0)));
        assertArrayEquals(("k" + expected).getBytes(StandardCharsets.UTF_8), bytesOf(beacon.propertyKey(0)));
        assertArrayEquals(utf8, bytesOf(beacon.referrer()));
        assertEquals(expected, beacon.referrer().toString());
    }

    @Test
    void escapesInKeysAreDecoded()
    {
        assertAccepted(j("{'\\u0074':'p','\\u0075':'" + URL + "','m\\u006b':['\\u006b'],'\\u006dv':['v']}"));
        assertEquals(EventType.PAGEVIEW, beacon.type());
        assertEquals(URL, beacon.url().toString());
        assertEquals(1, beacon.propertyCount());
        assertEquals("k", beacon.propertyKey(0).toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\\ud83d", "\\ud83dx", "\\ud83d\\u0041", "\\ud83d\\ud83d", "\\ude00", "\\ude00\\ud83d",
        "\\ud83d\\n", "a\\udbff", "\\udfff", "\\ud83d\\ue000", "\\ud83d\\ud7ff"})
    void loneSurrogatesAreRejected(final String json)
    {
        assertRejected(INVALID_ESCAPE, j(custom(",'r':'" + json + "'")));
        assertRejected(INVALID_ESCAPE, j(custom(",'mk':['a'],'mv':['" + json + "']")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\\x", "\\a", "\\0", "\\v", "\\U00e9", "\\u12", "\\u12G4", "\\u-123", "\\u+123",
        "\\u 123", "\\ud83d\\ude0g", "\\u00\u00e9", "\\\u00e9"})
    void badEscapesAreRejected(final String json)
    {
        assertRejected(INVALID_ESCAPE, j(custom(",'r':'" + json + "'")));
    }

    @Test
    void anEscapedApostropheIsNotJson()
    {
        assertRejected(INVALID_ESCAPE, "{\"t\":\"p\",\"u\":\"https://shop.example/\\'\"}");
    }

    @Test
    void escapeErrorOffsetsPointAtTheProblem()
    {
        final String unknown = j(custom(",'r':'ab\\x'"));
        assertRejected(INVALID_ESCAPE, unknown);
        assertEquals(unknown.indexOf("\\x"), decoder.errorOffset());
        final String hex = j(custom(",'r':'ab\\u12G4'"));
        assertRejected(INVALID_ESCAPE, hex);
        assertEquals(hex.indexOf('G'), decoder.errorOffset());
    }

    @Test
    void escapesCutShortByTheEndOfTheBody()
    {
        assertRejected(INVALID_ESCAPE, j("{'t':'p','u':'\\u12"));
        assertRejected(INVALID_ESCAPE, j("{'t':'p','u':'\\u"));
        assertRejected(INVALID_ESCAPE, j("{'t':'p','u':'\\ud83d"));
        assertRejected(INVALID_ESCAPE, j("{'t':'p','u':'\\ud83d\\"));
        assertRejected(INVALID_ESCAPE, j("{'t':'p','u':'\\ud83d\\u"));
        assertRejected(INVALID_ESCAPE, j("{'t':'p','u':'\\ud83d\\ude0"));
        assertRejected(INVALID_JSON, j("{'t':'p','u':'\\"));
        assertRejected(INVALID_JSON, j("{'t':'p','u':'a\\n"));
        assertRejected(INVALID_JSON, j("{'t':'p','u':'\\ud83d\\ude00"));
    }

    // ------------------------------------------------------------------------------------- UTF-8

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\u00e9", "\u20ac", "\uD83D\uDE00", "\u0080", "\u07ff", "\u0800", "\uffff", "\ue000",
        "\ud7ff", "\uD800\uDC00", "\uDBFF\uDFFF", "\u65e5\u672c\u8a9e", "\u007f", "a\u00e9b\u20acc\uD83D\uDE00d"})
    void validMultiByteUtf8IsKept(final String text)
    {
        assertAccepted(j("{'t':'e','n':'" + text + "','u':'" + URL + text + "','mk':['" + text + "'],'mv':['" +
            text + "'],'zz':'" + text + "'}"));
        assertEquals(text, beacon.name().toString());
        assertEquals(URL + text, beacon.url().toString());
        assertEquals(text, beacon.propertyKey(0).toString());
        assertEquals(text, beacon.propertyValue(0).toString());
    }

    static Stream<Arguments> invalidUtf8()
    {
        return Stream.of(
            Arguments.of("stray continuation 80", new int[]{0x80}, 0),
            Arguments.of("stray continuation BF", new int[]{0xBF}, 0),
            Arguments.of("overlong C0 80", new int[]{0xC0, 0x80}, 0),
            Arguments.of("overlong C1 BF", new int[]{0xC1, 0xBF}, 0),
            Arguments.of("overlong E0 80 80", new int[]{0xE0, 0x80, 0x80}, 0),
            Arguments.of("overlong E0 9F BF", new int[]{0xE0, 0x9F, 0xBF}, 0),
            Arguments.of("surrogate ED A0 80", new int[]{0xED, 0xA0, 0x80}, 0),
            Arguments.of("surrogate ED BF BF", new int[]{0xED, 0xBF, 0xBF}, 0),
            Arguments.of("overlong F0 80 80 80", new int[]{0xF0, 0x80, 0x80, 0x80}, 0),
            Arguments.of("overlong F0 8F BF BF", new int[]{0xF0, 0x8F, 0xBF, 0xBF}, 0),
            Arguments.of("past U+10FFFF F4 90 80 80", new int[]{0xF4, 0x90, 0x80, 0x80}, 0),
            Arguments.of("F5", new int[]{0xF5, 0x80, 0x80, 0x80}, 0),
            Arguments.of("F8", new int[]{0xF8, 0x88, 0x80, 0x80, 0x80}, 0),
            Arguments.of("FE", new int[]{0xFE}, 0),
            Arguments.of("FF", new int[]{0xFF}, 0),
            Arguments.of("truncated C3", new int[]{0xC3}, 0),
            Arguments.of("truncated E2 82", new int[]{0xE2, 0x82}, 0),
            Arguments.of("truncated F0 9F 98", new int[]{0xF0, 0x9F, 0x98}, 0),
            Arguments.of("lead then lead C3 C3", new int[]{0xC3, 0xC3, 0xA9}, 0),
            Arguments.of("E2 28 A1", new int[]{0xE2, 0x28, 0xA1}, 0),
            Arguments.of("continuation after a good char", new int[]{0xC3, 0xA9, 0xA9}, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void invalidUtf8IsRejectedWhereverItIs(final String label, final int[] sequence, final int badByte)
    {
        final String url = "{\"t\":\"p\",\"u\":\"https://shop.example/";
        assertRejected(INVALID_UTF8, bytes(url, sequence, "x\"}"));
        assertEquals(utf8(url).length + badByte, decoder.errorOffset(), "the offset of the bad sequence");

        final String escaped = "{\"t\":\"p\",\"u\":\"https://shop.example/\\n";
        assertRejected(INVALID_UTF8, bytes(escaped, sequence, "x\"}"));
        assertEquals(utf8(escaped).length + badByte, decoder.errorOffset(), "the offset of the bad sequence");

        assertRejected(INVALID_UTF8, bytes("{\"t\":\"p\",\"u\":\"https://shop.example/\",\"", sequence, "\":1}"));
        assertRejected(INVALID_UTF8, bytes(custom(",\"mk\":[\"a\"],\"mv\":[\"").replace("}", ""), sequence, "\"]}"));
        assertRejected(INVALID_UTF8, bytes(custom(",\"mk\":[\"").replace("}", ""), sequence, "\"],\"mv\":[1]}"));
        assertRejected(INVALID_UTF8, bytes(pageview(",\"zz\":{\"a\":[\"").replace("}", ""), sequence, "\"]}}"));
        assertRejected(INVALID_UTF8, bytes(custom(",\"rc\":\"E").replace("}", ""), sequence, "\"}"));
    }

    @Test
    void aSequenceCutShortByTheEndOfTheBodyIsInvalidUtf8()
    {
        assertRejected(INVALID_UTF8, bytes("{\"t\":\"p\",\"u\":\"https://shop.example/", new int[]{0xE2, 0x82}));
        assertRejected(INVALID_UTF8, bytes("{\"t\":\"p\",\"u\":\"https://shop.example/", new int[]{0xF0, 0x9F, 0x98}));
        assertRejected(INVALID_UTF8, bytes("{\"t\":\"p\",\"u\":\"https://shop.example/", new int[]{0xC3}));
        assertRejected(INVALID_UTF8, bytes("{\"t\":\"p\",\"u\":\"\\n", new int[]{0xC3}));
    }

    @ParameterizedTest(name = "0x{0}")
    @ValueSource(ints = {0x00, 0x01, 0x08, 0x09, 0x0A, 0x0D, 0x1B, 0x1F})
    void controlCharactersInStringsAreNotJson(final int control)
    {
        final String prefix = "{\"t\":\"p\",\"u\":\"https://shop.example/";
        assertRejected(INVALID_JSON, bytes(prefix, new int[]{control}, "\"}"));
        assertEquals(utf8(prefix).length, decoder.errorOffset());
        assertRejected(INVALID_JSON, bytes(prefix, "\\t", new int[]{control}, "\"}"));
        assertRejected(INVALID_JSON, bytes("{\"t\":\"p\",\"u\":\"https://shop.example/\",\"z", new int[]{control}, "\":1}"));
        assertRejected(INVALID_JSON, bytes(pageview(",\"zz\":[\"").replace("}", ""), new int[]{control}, "\"]}"));
    }

    @Test
    void deleteIsNotAControlCharacter()
    {
        assertAccepted(bytes("{\"t\":\"p\",\"u\":\"https://shop.example/", new int[]{0x7F}, "\"}"));
        assertEquals(URL + "\u007f", beacon.url().toString());
    }

    // ------------------------------------------------------------------------------------- document structure

    @Test
    void trailingBytesAfterTheObjectAreRejected()
    {
        final String beaconJson = j(pageview(""));
        assertRejected(TRAILING_DATA, beaconJson + "x");
        assertEquals(beaconJson.length(), decoder.errorOffset());
        assertRejected(TRAILING_DATA, beaconJson + "  \n x");
        assertEquals(beaconJson.length() + 4, decoder.errorOffset());
        assertRejected(TRAILING_DATA, beaconJson + "{}");
        assertRejected(TRAILING_DATA, beaconJson + beaconJson);
        assertRejected(TRAILING_DATA, beaconJson + ",");
        assertRejected(TRAILING_DATA, beaconJson + "}");
        assertRejected(TRAILING_DATA, bytes(beaconJson, new int[]{0}));
        assertRejected(TRAILING_DATA, bytes(beaconJson, new int[]{0xC3, 0xA9}));
        assertRejected(TRAILING_DATA, "{}x");
    }

    @Test
    void whitespaceAroundAndInsideIsFine()
    {
        assertAccepted(j(pageview("")) + " \t\r\n ");
        assertAccepted(" \t\r\n " + j(pageview("")));
        assertAccepted(j(" { 't' : 'p' ,\n\t'u'\r: 'https://shop.example/' , 'mk' : [ 'a' ] , 'mv' : [ 1 ] } "));
        assertEquals(1, beacon.propertyCount());
        assertEquals("1", beacon.propertyValue(0).toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hello", "<html>", "{", "{\"t\"", "{\"t\":", "{\"t\":}", "{\"t\":\"p\" \"u\":\"x\"}",
        "{'t':'p','u':'x'}", "{\"t\":\"p\",}", "{,}", "{\"t\" \"p\"}", "{t:\"p\"}", "\uFEFF{\"t\":\"p\",\"u\":\"x\"}",
        "{\"t\":\"p\",\"u\":\"x\"", "{\"t\":\"p\",\"u\":\"x", "{\"t\":\"p\";\"u\":\"x\"}", "{\"t\"=\"p\"}", "}",
        "\u00e9", "{\"t\":\"p\",\"u\":\"x\",\"zz\":undefined}", "{\"t\":'p',\"u\":\"x\"}", "{\"t\":\"p\",\"u\":\"x\"]",
        "{\"t\":\"p\",,\"u\":\"x\"}", "Nope", "nul", "tru", "{\"u\":nullx,\"t\":\"p\"}"})
    void notJsonIsRejected(final String body)
    {
        assertRejected(INVALID_JSON, body);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"t", "n", "u", "d", "mk", "mv", "ra", "rc", "v", "sec", "zz"})
    void aMissingOrMalformedValueOfAnyKeyIsNotJson(final String key)
    {
        for (final String value : new String[]{"", " ", "}", "]", ",", ":", "'x'", "x", "nul", "+1", ".5", "undefined"})
        {
            final String type = "t".equals(key) ? "" : ",\"t\":\"p\"";
            final String url = "u".equals(key) ? "" : ",\"u\":\"" + URL + "\"";
            final String body = "{\"" + key + "\":" + value + type + url + "}";
            assertEquals(INVALID_JSON, decode(body), () -> body + ": " + decoder.errorDetail());
            assertEmpty(body);
        }
    }

    @Test
    void notJsonOffsets()
    {
        assertRejected(INVALID_JSON, "hello");
        assertEquals(0, decoder.errorOffset());
        assertRejected(INVALID_JSON, "  hello");
        assertEquals(2, decoder.errorOffset());
        assertRejected(INVALID_JSON, j("{'t':'p' 'u':'x'}"));
        assertEquals(9, decoder.errorOffset(), "at the key where ',' was expected");
        final String missingField = j("{'t':'p'}");
        assertRejected(MISSING_FIELD, missingField);
        assertEquals(missingField.length(), decoder.errorOffset(), "a missing field is found at the end");
        final String duplicate = j("{'t':'p','t':'e','u':'x'}");
        assertRejected(DUPLICATE_KEY, duplicate);
        assertTrue(decoder.errorOffset() >= 9 && decoder.errorOffset() <= 13, "at the second 't': " + decoder.errorOffset());
        final String tooLong = j("{'t':'e','u':'x','n':'" + repeat("n", 121) + "'}");
        assertRejected(NAME_TOO_LONG, tooLong);
        assertTrue(decoder.errorOffset() > tooLong.indexOf("\"n\"") && decoder.errorOffset() <= tooLong.length() - 1,
            "at or after the name: " + decoder.errorOffset());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[1,2]", "[]", "  [ ]", "\"str\"", "\"\"", "42", "0", "-1", "0.5", "true", "false", "null",
        "[{\"t\":\"p\",\"u\":\"https://shop.example/\"}]"})
    void aTopLevelValueThatIsNotAnObjectIsRejected(final String body)
    {
        assertRejected(NOT_OBJECT, body);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "\n\t\r ", "\r\n"})
    void anEmptyBodyIsNotJson(final String body)
    {
        assertRejected(INVALID_JSON, body);
        assertEquals(body.length(), decoder.errorOffset());
    }

    // ------------------------------------------------------------------------------------- name and key length

    @Test
    void aNameOf120CharactersIsAcceptedAnd121IsTooLong()
    {
        assertAccepted(j("{'t':'e','n':'" + repeat("N", 120) + "','u':'" + URL + "'}"));
        assertEquals(repeat("N", 120), beacon.name().toString());
        assertRejected(NAME_TOO_LONG, j("{'t':'e','n':'" + repeat("N", 121) + "','u':'" + URL + "'}"));
        assertRejected(NAME_TOO_LONG, j("{'t':'p','n':'" + repeat("N", 121) + "','u':'" + URL + "'}"));
        assertRejected(NAME_TOO_LONG, j("{'t':'e','n':'" + repeat("N", 5000) + "','u':'" + URL + "'}"));
    }

    @Test
    void nameLengthIsCountedInCharacters()
    {
        assertAccepted(j("{'t':'e','n':'" + repeat("\u00e9", 120) + "','u':'" + URL + "'}"));
        assertEquals(240, beacon.name().length());
        assertRejected(NAME_TOO_LONG, j("{'t':'e','n':'" + repeat("\u00e9", 121) + "','u':'" + URL + "'}"));
        assertAccepted(j("{'t':'e','n':'" + repeat("\\u0041", 120) + "','u':'" + URL + "'}"));
        assertEquals(repeat("A", 120), beacon.name().toString());
        assertRejected(NAME_TOO_LONG, j("{'t':'e','n':'" + repeat("\\u0041", 121) + "','u':'" + URL + "'}"));
        assertRejected(NAME_TOO_LONG, j("{'t':'e','n':'" + repeat("A", 120) + "\\n','u':'" + URL + "'}"));
        assertAccepted(j("{'t':'e','n':'" + repeat(EMOJI, 60) + "','u':'" + URL + "'}"));
        assertRejected(NAME_TOO_LONG, j("{'t':'e','n':'" + repeat(EMOJI, 60) + "a','u':'" + URL + "'}"));
    }

    @Test
    void aPropertyKeyOf300CharactersIsAcceptedAnd301IsTooLong()
    {
        assertAccepted(j(custom(",'mk':['" + repeat("k", 300) + "'],'mv':['v']")));
        assertEquals(repeat("k", 300), beacon.propertyKey(0).toString());
        assertRejected(KEY_TOO_LONG, j(custom(",'mk':['" + repeat("k", 301) + "'],'mv':['v']")));
        assertRejected(KEY_TOO_LONG, j(custom(",'mk':['a','" + repeat("k", 2500) + "'],'mv':['v','w']")));
        assertAccepted(j(custom(",'mk':['" + repeat("\u00e9", 300) + "'],'mv':['v']")));
        assertRejected(KEY_TOO_LONG, j(custom(",'mk':['" + repeat("\u00e9", 301) + "'],'mv':['v']")));
        assertRejected(KEY_TOO_LONG, j(custom(",'mk':['" + repeat("k", 300) + "\\t'],'mv':['v']")));
    }

    @Test
    void anyObjectKeyOf300CharactersIsAcceptedAnd301IsTooLong()
    {
        assertAccepted(j(custom(",'" + repeat("z", 300) + "':1")));
        assertRejected(KEY_TOO_LONG, j(custom(",'" + repeat("z", 301) + "':1")));
        assertRejected(KEY_TOO_LONG, j(custom(",'zz':{'" + repeat("z", 301) + "':1}")));
        assertAccepted(j(custom(",'" + repeat("z", 300) + "':1,'" + repeat("z", 299) + "y':2")));
    }

    // ------------------------------------------------------------------------------------- reuse

    private static final String FULL = j("{'t':'c','n':'Caf\\u00e9','u':'https://blog.example/review?value=3'," +
        "'d':'shop.example','r':'https://news.example/','h':'https://www.amazon.de/dp/B08N5WRWNW','x':'Buy \\\"now\\\"'," +
        "'ti':'Title','fn':'contact','fi':'wpcf7-f42','fp':'cf7','el':'label','ea':'action','ec':'category'," +
        "'mk':['a','b\\n'],'mv':['1',true],'ra':29.99,'rc':'eur','v':12.5,'sec':30,'zz':{'q':[1]}}");

    private void assertFull()
    {
        assertEquals(EventType.CLICK, beacon.type());
        assertEquals("Caf\u00e9", beacon.name().toString());
        assertEquals("Buy \"now\"", beacon.text().toString());
        assertEquals(2, beacon.propertyCount());
        assertEquals("b\n", beacon.propertyKey(1).toString());
        assertEquals("true", beacon.propertyValue(1).toString());
        assertTrue(beacon.hasRevenue());
        assertCurrency("EUR");
        assertTrue(beacon.hasValue());
        assertTrue(beacon.hasSeconds());
    }

    private void assertOnlyMinimalPageview()
    {
        assertEquals(EventType.PAGEVIEW, beacon.type());
        assertEquals("pageview", beacon.name().toString());
        assertEquals(URL, beacon.url().toString());
        for (final String key : OPTIONAL_STRING_FIELDS)
        {
            assertFalse(field(beacon, key).isPresent(), key + " leaked from an earlier beacon");
        }
        assertEquals(0, beacon.propertyCount());
        assertEquals(0, beacon.droppedPropertyCount());
        assertFalse(beacon.hasRevenue());
        assertFalse(beacon.hasValue());
        assertFalse(beacon.hasSeconds());
    }

    @Test
    void aBadBeaconThenAGoodOneIntoTheSameBeacon()
    {
        assertAccepted(FULL);
        assertFull();
        assertRejected(TRAILING_DATA, FULL + "x");
        assertAccepted(j(pageview("")));
        assertOnlyMinimalPageview();

        assertRejected(INVALID_UTF8, bytes(FULL.substring(0, FULL.length() - 1), ",\"late\":\"", new int[]{0xFF}, "\"}"));
        assertAccepted(j(pageview("")));
        assertOnlyMinimalPageview();
    }

    @Test
    void aFreshDecoderFirstFailsLateThenDecodesAGoodBeacon()
    {
        final String lateError = FULL.substring(0, FULL.length() - 1) + ",\"late\":\"\\q\"}";
        assertRejected(INVALID_ESCAPE, lateError);
        assertAccepted(j("{'t':'e','n':'Second','u':'" + URL + "'}"));
        assertEquals(EventType.CUSTOM, beacon.type());
        assertEquals("Second", beacon.name().toString());
        for (final String key : OPTIONAL_STRING_FIELDS)
        {
            assertFalse(field(beacon, key).isPresent(), key + " leaked from the rejected beacon");
        }
        assertEquals(0, beacon.propertyCount());
        assertFalse(beacon.hasRevenue());
        assertFalse(beacon.hasValue());
        assertFalse(beacon.hasSeconds());
    }

    @Test
    void aGoodBeaconThenAnotherGoodOneIntoTheSameBeacon()
    {
        assertAccepted(FULL);
        assertAccepted(j(pageview("")));
        assertOnlyMinimalPageview();
        assertAccepted(FULL);
        assertFull();
    }

    @Test
    void anEarlierCurrencyDoesNotLeak()
    {
        assertAccepted(j(custom(",'ra':1,'rc':'EUR'")));
        assertCurrency("EUR");
        assertAccepted(j(custom(",'ra':1")));
        assertCurrency("USD");
        assertRejected(INVALID_CURRENCY, j(custom(",'ra':1,'rc':'GB1'")));
        assertAccepted(j(custom(",'ra':2")));
        assertCurrency("USD");
    }

    @Test
    void earlierUnknownKeysAndSeenFieldsDoNotCount()
    {
        final String body = j(pageview(unknownKeys(BeaconDecoder.MAX_UNKNOWN_KEYS)));
        assertAccepted(body);
        assertAccepted(body);
        assertRejected(DUPLICATE_KEY, j(pageview(",'zz':1,'zz':1")));
        assertAccepted(j(pageview(",'zz':1")));
    }

    @Test
    void escapedStringsOfAnEarlierBeaconDoNotLeak()
    {
        assertAccepted(j("{'t':'e','n':'" + repeat("\\u0041", 100) + "','u':'" + URL + "\\u00e9','mk':['\\n'],'mv':['\\t']}"));
        assertEquals(repeat("A", 100), beacon.name().toString());
        assertAccepted(j("{'t':'e','n':'B\\u0043','u':'" + URL + "\\/x','mk':['\\r'],'mv':['\\b']}"));
        assertEquals("BC", beacon.name().toString());
        assertEquals(URL + "/x", beacon.url().toString());
        assertEquals("\r", beacon.propertyKey(0).toString());
        assertEquals("\b", beacon.propertyValue(0).toString());
    }

    @Test
    void onlyTheFirstErrorIsReported()
    {
        assertRejected(INVALID_ESCAPE, j(custom(",'mk':['\\q'],'mv':[null],'ra':-1")));
        assertRejected(DUPLICATE_KEY, j("{'t':'p','t':'q'}"));
        assertRejected(UNKNOWN_TYPE, j("{'t':'q','u':5}"));
    }
}
