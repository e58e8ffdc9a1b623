package io.tally.engine.identity;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientAddressTest
{
    private static IpAddress ip(final String text)
    {
        final IpAddress address = new IpAddress();
        assertTrue(address.parse(text), text);
        return address;
    }

    @Test
    void parsesIpv4AndIpv6Forms()
    {
        assertEquals("203.0.113.7", ip("203.0.113.7").toString());
        assertTrue(ip("203.0.113.7").isIpv4());
        assertEquals("2001:db8:0:0:0:0:0:1", ip("2001:db8::1").toString());
        assertEquals("0:0:0:0:0:0:0:1", ip("::1").toString());
        assertEquals("fe80:0:0:0:0:0:0:0", ip("fe80::").toString());
        assertEquals("2001:db8:1:2:3:4:5:6", ip("2001:DB8:1:2:3:4:5:6").toString());
        assertEquals("198.51.100.1", ip("::ffff:198.51.100.1").toString(), "IPv4-mapped is the same key as IPv4");
        assertEquals(ip("::ffff:198.51.100.1").low(), ip("198.51.100.1").low());
        assertEquals("192.0.2.1", ip(" 192.0.2.1 ").toString());
        assertEquals("2001:db8:0:0:0:0:0:2", ip("[2001:db8::2]").toString());
    }

    @Test
    void refusesWhatIsNotAnAddress()
    {
        for (final String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "a.b.c.d", "1:2:3:4:5:6:7:8:9",
            "1::2::3", "12345::", "2001:db8:::1", ":1", "1:", "unknown", "1.2.3.4 5"})
        {
            assertFalse(new IpAddress().parse(bad), bad);
        }
    }

    @Test
    void rangesMatchByPrefix()
    {
        final AddressRanges ranges = AddressRanges.parse(List.of("10.0.0.0/8", "192.168.1.5", "2001:db8::/32"));
        assertTrue(ranges.contains(ip("10.200.3.4")));
        assertFalse(ranges.contains(ip("11.0.0.1")));
        assertTrue(ranges.contains(ip("192.168.1.5")));
        assertFalse(ranges.contains(ip("192.168.1.6")));
        assertTrue(ranges.contains(ip("2001:db8:ffff::1")));
        assertFalse(ranges.contains(ip("2001:db9::1")));
        assertTrue(AddressRanges.parse(List.of("0.0.0.0/0")).contains(ip("8.8.8.8")));
        assertFalse(AddressRanges.parse(List.of("0.0.0.0/0")).contains(ip("2001:db8::1")), "an IPv4 range holds no IPv6");
        assertThrows(IllegalArgumentException.class, () -> AddressRanges.parse(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> AddressRanges.parse(List.of("nonsense")));
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxiesRightmostUntrustedFirst()
    {
        final ClientAddressResolver resolver = new ClientAddressResolver(AddressRanges.parse(List.of("127.0.0.1", "10.0.0.0/8")));
        final IpAddress client = new IpAddress();

        resolver.resolve(ip("127.0.0.1"), "198.51.100.9", client);
        assertEquals("198.51.100.9", client.toString());

        resolver.resolve(ip("127.0.0.1"), "6.6.6.6, 198.51.100.9, 10.1.1.1", client);
        assertEquals("198.51.100.9", client.toString(), "the spoofable left part is ignored");

        resolver.resolve(ip("127.0.0.1"), "10.0.0.2,10.0.0.3", client);
        assertEquals("10.0.0.2", client.toString(), "all trusted: the left-most");

        resolver.resolve(ip("203.0.113.50"), "198.51.100.9", client);
        assertEquals("203.0.113.50", client.toString(), "an untrusted peer's header is ignored");

        resolver.resolve(ip("127.0.0.1"), null, client);
        assertEquals("127.0.0.1", client.toString());

        resolver.resolve(ip("127.0.0.1"), "garbage", client);
        assertEquals("127.0.0.1", client.toString(), "an unreadable entry stops the walk");

        resolver.resolve(ip("127.0.0.1"), "2001:db8::7", client);
        assertEquals("2001:db8:0:0:0:0:0:7", client.toString());
    }
}
