package io.tally.bench.load;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadOptionsTest
{
    private static LoadOptions parse(final String... flags)
    {
        final List<String> args = new ArrayList<>(List.of("--url", "http://127.0.0.1:18080/api/event"));
        args.addAll(List.of(flags));
        return LoadOptions.parse(args);
    }

    private static void assertRefused(final String expected, final String... flags)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> parse(flags));
        assertEquals(expected, ex.getMessage());
    }

    @Test
    void durationUpToAnHour()
    {
        assertEquals(3_600_000, parse("--duration", "3600").durationMillis);
        assertEquals(3_600_000, parse("--duration", "60m").durationMillis);
        assertRefused("--duration must be between 100 ms and 3600000 ms: 3601000 ms", "--duration", "3601s");
        assertEquals(250, parse("--duration", "250ms").durationMillis);
    }

    @Test
    void requestsUpToABillion()
    {
        assertEquals(LoadOptions.MAX_REQUESTS, parse("--requests", "1000000000").maxRequests);
        assertEquals(LoadOptions.MAX_REQUESTS, parse().maxRequests);
        assertRefused("--requests must be between 1 and 1000000000: 1000000001", "--requests", "1000000001");
        assertRefused("--requests must be between 1 and 1000000000: 0", "--requests", "0");
    }

    @Test
    void connectionsUpToTenThousand()
    {
        assertEquals(10_000, parse("--connections", "10000").connections);
        assertRefused("--connections must be between 1 and 10000: 10001", "--connections", "10001");
    }

    @Test
    void rateUpToAMillionAndRequiredInOpenMode()
    {
        assertEquals(1_000_000, parse("--mode", "open", "--rate", "1000000").rate);
        assertRefused("--rate must be between 0 and 1000000: 1000001", "--mode", "open", "--rate", "1000001");
        assertRefused("--mode open needs --rate (requests/s, 1 to 1000000)", "--mode", "open");
    }

    @Test
    void timeoutUpToAMinute()
    {
        assertEquals(60_000, parse("--timeout", "60s").timeoutMillis);
        assertRefused("--timeout must be between 10 ms and 60000 ms: 61000 ms", "--timeout", "61s");
    }

    @Test
    void clientsUpToTheAddressesOf127Slash8AboveTheProxy()
    {
        assertEquals(1 << 20, parse("--clients", Integer.toString(1 << 20)).clients);
        assertRefused("--clients must be between 1 and 1048576: 1048577", "--clients", "1048577");
        assertEquals("127.1.0.0", RequestPool.clientAddress(0));
        assertEquals("127.16.255.255", RequestPool.clientAddress((1 << 20) - 1));
    }

    @Test
    void badFlagsAreNamed()
    {
        assertRefused("unknown flag --rps", "--rps", "5");
        assertRefused("--mode must be one of closed, open: fast", "--mode", "fast");
        assertRefused("--duration must be a duration such as 10s, 500ms or 2m: soon", "--duration", "soon");
        assertRefused("--connections given twice", "--connections", "1", "--connections", "2");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> LoadOptions.parse(List.of("--url", "http://10.1.2.3:8080/")));
        assertTrue(ex.getMessage().contains("loopback only"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(List.of("--connections", "4")));
    }
}
