package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.tally.codec.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UrlPartsTest
{
    /**
     * Every URL sits inside a larger buffer with URL-like bytes on both sides, so a part that looks before
     * the view's offset or past its end shows up as a wrong answer.
     */
    private static final String BEFORE = "https://amazon.evil/dp/ABCDEFGHIJ?value=8&";
    private static final String AFTER = "X9?value=9&/dp/ABCDEFGHIJ#";

    private final List<ByteBuf> buffers = new ArrayList<>();
    private final TextView host = new TextView();
    private final TextView path = new TextView();
    private final TextView asin = new TextView();
    private final TextView scratchHost = new TextView();
    private final MutableDecimal value = new MutableDecimal();

    @AfterEach
    void release()
    {
        buffers.forEach(ByteBuf::release);
    }

    private TextView url(final String url)
    {
        final byte[] before = utf8(BEFORE);
        final byte[] bytes = utf8(url);
        final ByteBuf buffer = Unpooled.wrappedBuffer(utf8(BEFORE + url + AFTER));
        buffers.add(buffer);
        return new TextView().wrap(buffer, before.length, bytes.length);
    }

    private String host(final String url)
    {
        host.reset();
        return UrlParts.host(url(url), host) ? host.toString() : null;
    }

    // ------------------------------------------------------------------------------------- host

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "https://shop.example/pricing, shop.example",
        "https://shop.example, shop.example",
        "http://shop.example/, shop.example",
        "https://shop.example:8443/x, shop.example",
        "https://shop.example:8443, shop.example",
        "https://user@shop.example/x, shop.example",
        "https://user:secret@shop.example:8443/x, shop.example",
        "https://user@shop.example/a@b, shop.example",
        "https://shop.example?x=1, shop.example",
        "https://shop.example#top, shop.example",
        "https://shop.example?next=https://other.example/, shop.example",
        "http://[::1]:8080/x, [::1]",
        "http://[2001:db8::1]/, [2001:db8::1]",
        "http://[2001:db8::1], [2001:db8::1]",
        "https://u:p@[::1]:1/, [::1]",
        "http://127.0.0.1:8080/, 127.0.0.1",
        "android-app://com.example.app/x, com.example.app",
        "web+tally://shop.example/, shop.example",
        "https://b\u00fccher.example/, b\u00fccher.example"})
    void hostIsFound(final String url, final String expected)
    {
        assertEquals(expected, host(url));
    }

    @Test
    void hostKeepsItsCaseBecauseItIsAViewOfTheUrl()
    {
        assertEquals("SHOP.Example", host("HTTPS://SHOP.Example/Pricing"));
        assertEquals("Shop.Example", host("https://Shop.Example:443"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"shop.example/x", "shop.example", "//shop.example/x", "/pricing", "", "mailto:a@shop.example",
        "https:/shop.example/", "https:shop.example", "1http://shop.example/", "-http://shop.example/", "://shop.example/",
        "https//shop.example/", "ht tp://shop.example/"})
    void aUrlWithoutSchemeHasNoHost(final String url)
    {
        assertEquals(null, host(url));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https:///x", "https://", "https://:8080/", "https://user@/x", "https://?q=1", "https://#f",
        "https://user@", "https://user@:80"})
    void anEmptyHostIsNoHost(final String url)
    {
        assertEquals(null, host(url));
    }

    // ------------------------------------------------------------------------------------- path

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "https://shop.example/pricing, /pricing",
        "https://shop.example/, /",
        "https://shop.example/a/b?x=1#f, /a/b",
        "https://shop.example/a/b#f?x=1, /a/b",
        "https://shop.example/a/b?x=/c, /a/b",
        "https://u:p@shop.example:8443/p;x/q, /p;x/q",
        "http://[::1]:8080/v6, /v6",
        "https://shop.example/caf\u00e9, /caf\u00e9",
        "/relative/path?x, /relative/path"})
    void pathIsFound(final String url, final String expected)
    {
        UrlParts.path(url(url), path);
        assertEquals(expected, path.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://shop.example", "https://shop.example?x=1", "https://shop.example#top",
        "https://shop.example:80", "https://shop.example?x=/a/b"})
    void noPathIsAnEmptyPath(final String url)
    {
        UrlParts.path(url(url), path);
        assertTrue(path.isPresent());
        assertEquals(0, path.length());
        assertEquals("", path.toString());
    }

    // ------------------------------------------------------------------------------------- value=

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "https://shop.example/?value=5, 5, 0",
        "https://shop.example/p?value=29.99, 2999, 2",
        "https://shop.example/p?a=1&value=29.99, 2999, 2",
        "https://shop.example/p?value=29.99&b=2, 2999, 2",
        "https://shop.example/p?value=29.99#frag, 2999, 2",
        "https://shop.example/p?a=1&&value=7, 7, 0",
        "https://shop.example/p?value=0, 0, 0",
        "https://shop.example/p?value=0.50, 50, 2",
        "https://shop.example/p?value=007, 7, 0",
        "https://shop.example/p?value=1&value=2, 1, 0",
        "https://shop.example/p?xvalue=1&value=3, 3, 0",
        "https://shop.example/p?value=123456789012345678, 123456789012345678, 0",
        "https://shop.example/p?value=1234567890.12345678, 123456789012345678, 8"})
    void valueParameterIsParsedExactly(final String url, final long unscaled, final int scale)
    {
        assertTrue(UrlParts.valueParameter(url(url), value));
        assertEquals(unscaled, value.unscaled());
        assertEquals(scale, value.scale());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "https://shop.example/p",
        "https://shop.example/p?",
        "https://shop.example/p?a=1",
        "https://shop.example/p?value=",
        "https://shop.example/p?a=1&value=",
        "https://shop.example/p?value=&a=5",
        "https://shop.example/p?value=abc",
        "https://shop.example/p?value=5abc",
        "https://shop.example/p?value=-5",
        "https://shop.example/p?value=+5",
        "https://shop.example/p?value=1e2",
        "https://shop.example/p?value=5.",
        "https://shop.example/p?value=.5",
        "https://shop.example/p?value=1.2.3",
        "https://shop.example/p?value=5%20",
        "https://shop.example/p?value=1234567890123456789",
        "https://shop.example/p?xvalue=5",
        "https://shop.example/p?myvalue=5&x=1",
        "https://shop.example/value=5",
        "https://shop.example/p#value=5",
        "https://shop.example/p?a=1#value=5",
        "https://shop.example/p?a=1#&value=5",
        "https://shop.example/p#section?value=5",
        "https://shop.example/p#a?b&value=5"})
    void noUsableValueParameter(final String url)
    {
        value.set(42, 1);
        assertFalse(UrlParts.valueParameter(url(url), value));
        assertEquals(42, value.unscaled(), "left unchanged");
        assertEquals(1, value.scale(), "left unchanged");
    }

    // ------------------------------------------------------------------------------------- ASIN

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "https://www.amazon.de/dp/B08N5WRWNW, B08N5WRWNW",
        "https://www.amazon.de/dp/B08N5WRWNW/, B08N5WRWNW",
        "https://www.amazon.de/dp/B08N5WRWNW?tag=x-21, B08N5WRWNW",
        "https://www.amazon.de/dp/B08N5WRWNW#reviews, B08N5WRWNW",
        "https://www.amazon.de/Some-Product-Name/dp/B08N5WRWNW/ref=sr_1_1?keywords=x, B08N5WRWNW",
        "https://www.amazon.de/gp/product/B00TEST123, B00TEST123",
        "https://www.amazon.com/gp/product/B00TEST123?th=1, B00TEST123",
        "https://amazon.co.uk/DP/0316769487, 0316769487",
        "https://smile.amazon.de:443/dp/B08N5WRWNW, B08N5WRWNW",
        "https://www.amazon.de/x/dp/short/dp/B08N5WRWNW, B08N5WRWNW"})
    void asinIsFoundInAmazonLinks(final String url, final String expected)
    {
        assertTrue(UrlParts.asin(url(url), asin, scratchHost));
        assertEquals(expected, asin.toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "https://shop.example/dp/B08N5WRWNW",
        "https://amazon-deals.example/dp/B08N5WRWNW",
        "https://amazon.evil.example/dp/B08N5WRWNW",
        "https://www.amazon.de.evil.example/dp/B08N5WRWNW",
        "https://notamazon.de/dp/B08N5WRWNW",
        "https://shop.example/redirect?to=https://www.amazon.de/dp/B08N5WRWNW",
        "https://www.amazon.de/dp/B08N5",
        "https://www.amazon.de/dp/",
        "https://www.amazon.de/dp/B08N5WRWNWX",
        "https://www.amazon.de/dp/B08N5WRWNW-x",
        "https://www.amazon.de/dp/b08n5wrwnw",
        "https://www.amazon.de/gp/product/B08N5",
        "https://www.amazon.de/s?k=B08N5WRWNW",
        "https://www.amazon.de",
        "www.amazon.de/dp/B08N5WRWNW",
        ""})
    void noAsinOutsideAmazonProductLinks(final String url)
    {
        assertFalse(UrlParts.asin(url(url), asin, scratchHost));
    }

    @Test
    void anAbsentUrlHasNoAsin()
    {
        assertFalse(UrlParts.asin(new TextView(), asin, scratchHost));
    }
}
