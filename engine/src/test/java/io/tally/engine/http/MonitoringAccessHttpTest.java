package io.tally.engine.http;

import io.tally.codec.json.Json;
import io.tally.engine.EngineConfig;
import io.tally.engine.identity.AddressRanges;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code /metrics} and {@code /healthz} answer loopback clients and metrics token holders unless the operator allows
 * more ({@code --metrics-allow}). The engine listens on 0.0.0.0 and is called through this machine's own
 * non-loopback address, so the peer it sees is not loopback: a real outside client as far as the engine can tell.
 * A machine with no such address skips those cases (said in the skip); the forwarded-address cases run anywhere.
 */
class MonitoringAccessHttpTest
{
    @TempDir
    Path dir;

    /** An up, non-loopback IPv4 address of this machine, or null. */
    private static InetAddress outsideAddress() throws IOException
    {
        for (final NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces()))
        {
            if (!nic.isUp() || nic.isLoopback())
            {
                continue;
            }
            for (final InetAddress address : Collections.list(nic.getInetAddresses()))
            {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                {
                    return address;
                }
            }
        }
        return null;
    }

    private TestEngine onAllAddresses(final UnaryOperator<EngineConfig.Builder> customize)
    {
        return TestEngine.start(dir, builder -> customize.apply(builder.host("0.0.0.0")));
    }

    /** A GET from {@code address} to {@code address}: the engine sees that address as the peer. */
    private static int get(final InetAddress address, final int port, final String path, final String token) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(address, port), 5_000);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
                (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            final InputStream in = socket.getInputStream();
            final String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (path.equals("/healthz") && answer.startsWith("HTTP/1.1 403"))
            {
                assertEquals("forbidden", Json.parseObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("error"));
            }
            return Integer.parseInt(answer.substring(9, 12));
        }
    }

    private static int getLocal(final int port, final String path, final String token, final String forwardedFor)
        throws IOException
    {
        try (RawHttp http = new RawHttp(port))
        {
            return http.exchange(("GET " + path + " HTTP/1.1\r\nHost: x\r\n" +
                (token == null ? "" : "Authorization: Bearer " + token + "\r\n") +
                (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)).status();
        }
    }

    @Test
    void byDefaultOnlyLoopbackClientsReadThem() throws IOException
    {
        final InetAddress outside = outsideAddress();
        assumeTrue(outside != null, "this machine has no non-loopback address to call the engine through");
        try (TestEngine engine = onAllAddresses(UnaryOperator.identity()))
        {
            assertEquals(200, getLocal(engine.port(), "/healthz", null, null));
            assertEquals(200, getLocal(engine.port(), "/metrics", null, null));
            assertEquals(403, get(outside, engine.port(), "/healthz", null));
            assertEquals(403, get(outside, engine.port(), "/metrics", null));
            assertEquals(404, get(outside, engine.port(), "/nothing-here", null), "the rest answers as ever");
        }
    }

    @Test
    void theMetricsTokenOpensBothFromAnywhereAndMetricsNeedsItEverywhere() throws IOException
    {
        final InetAddress outside = outsideAddress();
        assumeTrue(outside != null, "this machine has no non-loopback address to call the engine through");
        try (TestEngine engine = onAllAddresses(builder -> builder.metricsToken("m3trics")))
        {
            assertEquals(200, get(outside, engine.port(), "/metrics", "m3trics"));
            assertEquals(200, get(outside, engine.port(), "/healthz", "m3trics"));
            assertEquals(403, get(outside, engine.port(), "/metrics", "wrong"));
            assertEquals(403, get(outside, engine.port(), "/healthz", null));
            assertEquals(200, getLocal(engine.port(), "/healthz", null, null), "a local health check needs no secret");
            assertEquals(401, getLocal(engine.port(), "/metrics", null, null), "the token is asked of local scrapers too");
        }
    }

    @Test
    void allowedRangesOpenThemToThoseClients() throws IOException
    {
        final InetAddress outside = outsideAddress();
        assumeTrue(outside != null, "this machine has no non-loopback address to call the engine through");
        try (TestEngine engine = onAllAddresses(builder -> builder.metricsAllow(AddressRanges.parse(List.of("0.0.0.0/0", "::/0")))))
        {
            assertEquals(200, get(outside, engine.port(), "/metrics", null));
            assertEquals(200, get(outside, engine.port(), "/healthz", null));
        }
        try (TestEngine engine = onAllAddresses(builder -> builder.metricsAllow(AddressRanges.parse(
            List.of(outside.getHostAddress() + "/32")))))
        {
            assertEquals(200, get(outside, engine.port(), "/healthz", null));
            assertEquals(403, getLocal(engine.port(), "/healthz", null, null), "the list replaces loopback");
        }
    }

    @Test
    void behindATrustedProxyTheForwardedClientCounts() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dir, builder -> builder.trustedProxies(AddressRanges.parse(List.of("127.0.0.1/32")))))
        {
            assertEquals(403, getLocal(engine.port(), "/healthz", null, "203.0.113.9"), "a visitor through the local proxy");
            assertEquals(403, getLocal(engine.port(), "/metrics", null, "203.0.113.9"));
            assertEquals(200, getLocal(engine.port(), "/healthz", null, "127.0.0.1"));
            assertEquals(200, getLocal(engine.port(), "/healthz", null, null), "the proxy's own check");
        }
    }
}
