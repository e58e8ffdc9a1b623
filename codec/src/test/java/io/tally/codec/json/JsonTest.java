package io.tally.codec.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest
{
    private static String nestedArrays(final int levels)
    {
        return "[".repeat(levels) + "]".repeat(levels);
    }

    @Test
    void parsesEveryKindOfValue()
    {
        final Map<String, Object> object = Json.parseObject(
            "{\"s\":\"x\",\"n\":1.50,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,\"b\",[],{}],\"o\":{\"k\":\"v\"}}");
        assertEquals(List.of("s", "n", "t", "f", "z", "a", "o"), new ArrayList<>(object.keySet()), "order is kept");
        assertInstanceOf(LinkedHashMap.class, object);
        assertEquals("x", object.get("s"));
        assertEquals(new BigDecimal("1.50"), object.get("n"));
        assertEquals(Boolean.TRUE, object.get("t"));
        assertEquals(Boolean.FALSE, object.get("f"));
        assertTrue(object.containsKey("z"));
        assertNull(object.get("z"));
        assertEquals(List.of(BigDecimal.ONE, "b", List.of(), Map.of()), object.get("a"));
        assertEquals(Map.of("k", "v"), object.get("o"));
    }

    @Test
    void whitespaceIsAllowedBetweenTokens()
    {
        assertEquals(Map.of("a", List.of(BigDecimal.ONE, new BigDecimal(2))),
            Json.parse(" \t\r\n{ \"a\" :\n[ 1 , 2 ] }\n"));
    }

    @Test
    void writeThenParseRoundTrips()
    {
        final String text = "{\"a\":[1,2.50,-0.001,\"x\\ny\"],\"b\":{\"c\":null,\"d\":true,\"e\":false},\"f\":\"\u00e9\ud83d\ude00\"," +
            "\"g\":[],\"h\":{},\"i\":\"\\\"\\\\/\"}";
        final Object tree = Json.parse(text);
        final String written = Json.write(tree);
        assertEquals(tree, Json.parse(written));
        assertEquals(written, Json.write(Json.parse(written)));
        assertEquals(text, written, "compact, keys in order, numbers as given");
    }

    @Test
    void writesTreesBuiltByHand()
    {
        final Map<String, Object> object = new LinkedHashMap<>();
        object.put("name", "Caf\u00e9");
        object.put("count", 42);
        object.put("ratio", 1.5);
        object.put("amount", new BigDecimal("29.990"));
        object.put("big", new BigDecimal("1E+3"));
        object.put("list", List.of(true, false));
        object.put("none", null);
        assertEquals("{\"name\":\"Caf\u00e9\",\"count\":42,\"ratio\":1.5,\"amount\":29.990,\"big\":1000,\"list\":[true,false]," +
            "\"none\":null}", Json.write(object));
        assertEquals("null", Json.write(null));
        assertEquals("[]", Json.write(List.of()));
        assertEquals("{}", Json.write(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void writesEscapes()
    {
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\\u2028\\u2029\u00e9\ud83d\ude00/\u007f\"",
            Json.write("a\"b\\c\n\r\t\b\f\u0001\u001f\u2028\u2029\u00e9\ud83d\ude00/\u007f"));
        final StringBuilder out = new StringBuilder("x=");
        Json.writeString(out, "\u0000");
        assertEquals("x=\"\\u0000\"", out.toString());
    }

    @Test
    void parsesEscapes()
    {
        assertEquals("\"\\/\b\f\n\r\t\u00e9\u00e9\ud83d\ude00A", Json.parse(
            "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u00E9\\ud83d\\ude00\\u0041\""));
        assertEquals("\u0000\u001f\uffff", Json.parse("\"\\u0000\\u001f\\uFFFF\""));
    }

    @Test
    void everyCharacterSurvivesWriteAndParse()
    {
        final StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++)
        {
            if (!Character.isSurrogate(c))
            {
                all.append(c);
            }
        }
        all.append("\ud83d\ude00\udbff\udfff");
        assertEquals(all.toString(), Json.parse(Json.write(all.toString())));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"\\x\"", "\"\\'\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\u+041\"", "\"\\u-041\"", "\"\\u 041\"",
        "\"\\u004\"", "\"\\u\uff10\uff10\uff14\uff11\"", "\"\\", "\"\\u", "\"abc", "\"a\nb\"", "\"a\u0001b\"", "\"\t\""})
    void badStringsAreErrors(final String text)
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertTrue(error.getMessage().contains("at offset"), error.getMessage());
    }

    @Test
    void aDuplicateKeyIsAnError()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> Json.parse("{\"a\":1,\"b\":2,\"a\":3}"));
        assertTrue(error.getMessage().contains("duplicate key 'a'"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"x\":[{\"a\":1,\"a\":1}]}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,\"\\u0061\":2}"));
        assertEquals(Map.of("a", BigDecimal.ONE, "A", new BigDecimal(2)), Json.parse("{\"a\":1,\"A\":2}"));
    }

    @Test
    void nestingIsLimited()
    {
        assertEquals(List.of(List.of(List.of())), Json.parse(nestedArrays(3)));
        Json.parse(nestedArrays(200));
        Json.parse("{\"a\":".repeat(200) + "1" + "}".repeat(200));
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> Json.parse(nestedArrays(300)));
        assertTrue(error.getMessage().contains("nested too deep"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":".repeat(300) + "1" + "}".repeat(300)));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(1_000_000)),
            "a deep document is refused, not a StackOverflowError");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "0.1, 0.1, 1",
        "29.99, 29.99, 2",
        "1.50, 1.50, 2",
        "25, 25, 0",
        "-0.0, 0.0, 1",
        "-17, -17, 0",
        "1e2, 1E+2, -2",
        "1E-7, 1E-7, 7",
        "2.5e-1, 0.25, 2",
        "1e400, 1E+400, -400",
        "12345678901234567890.123456789012345678901, 12345678901234567890.123456789012345678901, 21",
        "0.30000000000000000000000000000000000001, 0.30000000000000000000000000000000000001, 38"})
    void numbersAreExactBigDecimals(final String json, final String expected, final int scale)
    {
        final Object number = Json.parse(json);
        assertInstanceOf(BigDecimal.class, number);
        assertEquals(0, new BigDecimal(expected).compareTo((BigDecimal)number));
        assertEquals(scale, ((BigDecimal)number).scale());
        assertEquals(number, Json.parseObject("{\"n\":" + json + "}").get("n"));
    }

    @Test
    void numbersWithExponentsAreWrittenPlainWithTheSameValue()
    {
        final BigDecimal parsed = (BigDecimal)Json.parse("-3e+2");
        assertEquals("-300", Json.write(parsed));
        assertEquals(0, parsed.compareTo((BigDecimal)Json.parse(Json.write(parsed))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", " ", "{", "[", "{\"a\"}", "{\"a\":}", "{a:1}", "{'a':1}", "[1,]", "[,1]", "{\"a\":1,}",
        "{\"a\":1 \"b\":2}", "[1 2]", "tru", "nul", "True", "-", "--1", "+1", "1.2.3", "1e", "1ee2", ".5", "{} x", "[1] 2",
        "\"a\" \"b\"", "NaN", "Infinity", "undefined", "{\"a\":1]", "[1}"})
    void malformedDocumentsAreErrors(final String text)
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertTrue(error.getMessage().contains("at offset"), error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[1]", "\"s\"", "1", "null", "true"})
    void parseObjectRefusesOtherValues(final String text)
    {
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject(text));
    }
}
