package io.tally.store.rollup.day;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

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
