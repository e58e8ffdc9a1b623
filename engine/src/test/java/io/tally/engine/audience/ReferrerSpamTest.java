package io.tally.engine.audience;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.TextView;
import io.tally.codec.UrlParts;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Referrer spam hosts: the host or any domain above it, whatever its case; nothing that merely ends alike. */
class ReferrerSpamTest
{
    private static boolean spam(final ReferrerSpam list, final String referrer)
    {
        final ByteBuf buffer = Unpooled.copiedBuffer(referrer, StandardCharsets.UTF_8);
        try
        {
            final TextView url = new TextView().wrap(buffer, 0, buffer.readableBytes());
            final TextView host = new TextView();
            return UrlParts.host(url, host) && list.isSpam(host);
        }
        finally
        {
            buffer.release();
        }
    }

    @Test
    void aListedHostAndItsSubdomainsAreSpamInAnyCase()
    {
        final ReferrerSpam list = new ReferrerSpam(List.of("spam.example", "Shouty.EXAMPLE", "deep.spam.test", "spam.example"));
        assertEquals(3, list.size());
        assertTrue(spam(list, "https://spam.example/"));
        assertTrue(spam(list, "http://www.spam.example/page?q=1"));
        assertTrue(spam(list, "https://a.b.c.SPAM.example:8443/"));
        assertTrue(spam(list, "https://spam.example./"));
        assertTrue(spam(list, "https://shouty.example/"));
        assertTrue(spam(list, "https://x.deep.spam.test/"));
        assertFalse(spam(list, "https://notspam.example/"), "ends alike, another domain");
        assertFalse(spam(list, "https://spam.example.org/"));
        assertFalse(spam(list, "https://spam.test/"), "a domain above a listed one is not listed");
        assertFalse(spam(list, "https://example/"));
        assertFalse(spam(list, "https://news.example/"));
    }

    @Test
    void theShippedListIsMatomosWithItsSourceNamed()
    {
        final ReferrerSpam shipped = ReferrerSpam.shipped();
        assertTrue(shipped.size() > 2_000, "hosts: " + shipped.size());
        assertTrue(spam(shipped, "https://0-0.fr/"));
        assertTrue(spam(shipped, "https://www.qiwi.xyz/"), "a listed host in upper case matches any case");
        assertFalse(spam(shipped, "https://www.wikipedia.org/"));
    }
}
