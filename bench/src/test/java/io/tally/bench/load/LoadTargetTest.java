package io.tally.bench.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadTargetTest
{
    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/api/event", "http://127.5.6.7:80/api/event", "http://localhost:9/x",
        "http://[::1]:8080/api/event"})
    void loopbackUrlsAreTaken(final String url)
    {
        assertTrue(LoadTarget.parse(url).address().getAddress().isLoopbackAddress());
    }

    @Test
    void thePathDefaultsToTheBeaconEndpointAndTheHostHeaderNamesThePort()
    {
        final LoadTarget target = LoadTarget.parse("http://127.0.0.1:18080");
        assertEquals("/api/event", target.path());
        assertEquals("127.0.0.1:18080", target.hostHeader());
        assertEquals(18080, target.address().getPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1:8080/api/event", "http://192.168.1.20/", "http://8.8.8.8/",
        "http://[2001:db8::1]:80/", "http://0.0.0.0:8080/"})
    void otherAddressesAreRefusedAsNotLoopback(final String url)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LoadTarget.parse(url));
        assertTrue(ex.getMessage().contains("is not a loopback address"), ex.getMessage());
    }

    @Test
    void aNameThatDoesNotResolveIsRefused()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> LoadTarget.parse("http://no-such-host.invalid/api/event"));
        assertTrue(ex.getMessage().startsWith("unknown host no-such-host.invalid"), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/", "127.0.0.1:8080", "http:///api/event", "http://127.0.0.1:8080/a b"})
    void onlyPlainHttpUrlsWithAHost(final String url)
    {
        assertThrows(IllegalArgumentException.class, () -> LoadTarget.parse(url));
    }
}
