package io.tally.bench.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Where the load goes: an {@code http://} URL whose host is a loopback address. Anything else is refused
 * before a socket opens, so the generator can never be pointed at another machine.
 */
public final class LoadTarget
{
    private final InetSocketAddress address;
    private final String hostHeader;
    private final String path;

    private LoadTarget(final InetSocketAddress address, final String hostHeader, final String path)
    {
        this.address = address;
        this.hostHeader = hostHeader;
        this.path = path;
    }

    /**
     * @param url {@code http://HOST[:PORT][/PATH]}; the path defaults to {@code /api/event}.
     * @throws IllegalArgumentException naming the reason when the URL is malformed or not loopback.
     */
    public static LoadTarget parse(final String url)
    {
        final URI uri;
        try
        {
            uri = new URI(url);
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null)
        {
            throw new IllegalArgumentException("only http://HOST:PORT/PATH URLs: " + url);
        }
        final InetAddress host = loopback(uri.getHost());
        final int port = uri.getPort() == -1 ? 80 : uri.getPort();
        final String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/api/event" : uri.getRawPath();
        return new LoadTarget(new InetSocketAddress(host, port), uri.getHost() + ":" + port, path);
    }

    private static InetAddress loopback(final String host)
    {
        final InetAddress address;
        try
        {
            address = InetAddress.getByName(host);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("unknown host " + host + " (the load generator targets loopback only)");
        }
        if (!address.isLoopbackAddress())
        {
            throw new IllegalArgumentException(host + " (" + address.getHostAddress() + ") is not a loopback address; " +
                "the load generator targets loopback only");
        }
        return address;
    }

    public InetSocketAddress address()
    {
        return address;
    }

    /** The {@code Host} header: the URL's host and port. */
    public String hostHeader()
    {
        return hostHeader;
    }

    public String path()
    {
        return path;
    }

    @Override
    public String toString()
    {
        return "http://" + hostHeader + path;
    }
}
