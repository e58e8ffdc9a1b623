package io.tally.store.rollup.day;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The byte-level parser against {@link Source}, the plain one: they must agree on every URL and referrer. */
class SourceParserTest
{
    private static final String[] PIECES = {"https://", "http://", "android-app://", "www.", "WWW.", "News.Example", "shop.example",
        "user@", ":8443", "/", "/a/b", "?", "#", "&", "=", "utm_source", "utm_medium", "utm_campaign", "utm_source_x", "Mail",
        "%20", "%2", "%zz", "+", " ", "Ä", "é", "ß", "x", "Big", "", "\t", "%C3%A4"};

    @Test
    void theBytesAgreeWithSourceOnRandomUrlsAndReferrers()
    {
        final Random random = new Random(17);
        Dictionary strings = new Dictionary();
        SourceParser parser = new SourceParser(strings);
        final int[] dimensions = new int[DayCube.DIMENSIONS];
        for (int i = 0; i < 50_000; i++)
        {
            if (i % 1_000 == 0)
            {
                // a day of its own now and then: a day keeps a bounded number of texts
                strings = new Dictionary();
                parser = new SourceParser(strings);
            }
            final String url = randomText(random);
            final String referrer = random.nextInt(4) == 0 ? "" : randomText(random);
            final byte[] urlBytes = url.getBytes(StandardCharsets.UTF_8);
            final byte[] referrerBytes = referrer.getBytes(StandardCharsets.UTF_8);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[urlBytes.length + referrerBytes.length + 2]);
            buffer.putBytes(1, urlBytes);
            buffer.putBytes(1 + urlBytes.length, referrerBytes);
            parser.source(buffer, 1, urlBytes.length, 1 + urlBytes.length, referrerBytes.length, dimensions, 0);
            final String[] expected = Source.of(url, referrer);
            for (int d = 0; d < dimensions.length; d++)
            {
                assertEquals(expected[d], strings.string(dimensions[d]), "dimension " + d + " of " + url + " from " + referrer);
            }
            assertEquals(io.tally.store.UrlPath.of(url), strings.string(parser.entryPage(buffer, 1, urlBytes.length)), url);
        }
    }

    /**
     * What a day remembers of the URLs and referrers it parsed gives the very ids parsing them again would, the cap
     * on a day's texts included: over 10,000 distinct pages and sources, some repeated, while other texts (names,
     * values) enter the same dictionary between sessions.
     */
    @Test
    void rememberedTextsGiveTheIdsParsingGives()
    {
        final Random random = new Random(23);
        final String[] pool = new String[300];
        for (int i = 0; i < pool.length; i++)
        {
            pool[i] = randomText(random);
        }
        final Dictionary rememberingStrings = new Dictionary();
        final Dictionary parsingStrings = new Dictionary();
        final SourceParser remembering = new SourceParser(rememberingStrings);
        final SourceParser parsing = new SourceParser(parsingStrings);
        final int[] pages = new int[1];
        final int[] remembered = new int[DayCube.DIMENSIONS];
        final int[] parsed = new int[DayCube.DIMENSIONS];
        for (int i = 0; i < 40_000; i++)
        {
            final int n = random.nextInt(20_000);
            final String url = random.nextInt(3) == 0 ? "https://x/" + n + "?utm_source=s" + n + "&utm_medium=" +
                pool[random.nextInt(pool.length)] : pool[random.nextInt(pool.length)];
            final String referrer = random.nextInt(3) == 0 ? "https://r" + n + ".example/" : pool[random.nextInt(pool.length)];
            final byte[] urlBytes = url.getBytes(StandardCharsets.UTF_8);
            final byte[] referrerBytes = referrer.getBytes(StandardCharsets.UTF_8);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[urlBytes.length + referrerBytes.length + 2]);
            buffer.putBytes(1, urlBytes);
            buffer.putBytes(1 + urlBytes.length, referrerBytes);
            remembering.session(buffer, 1, urlBytes.length, 1 + urlBytes.length, referrerBytes.length, pages, 0, remembered, 0);
            final int page = parsing.entryPage(buffer, 1, urlBytes.length);
            parsing.source(buffer, 1, urlBytes.length, 1 + urlBytes.length, referrerBytes.length, parsed, 0);
            assertEquals(page, pages[0], url);
            assertArrayEquals(parsed, remembered, url + " from " + referrer);
            if (random.nextInt(5) == 0)
            {
                // a text of another kind (an event name, a property value) that may be a page or source too
                final String text = random.nextBoolean() ? "/" + random.nextInt(20_000) : "r" + random.nextInt(20_000) + ".example";
                assertEquals(parsingStrings.id(text), rememberingStrings.id(text));
            }
        }
        assertEquals(parsingStrings.size(), rememberingStrings.size());
    }

    private static String randomText(final Random random)
    {
        final StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--)
        {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }
}
