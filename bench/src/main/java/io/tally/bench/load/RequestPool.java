package io.tally.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Every request the generator sends, built once: the whole HTTP/1.1 message (request line, headers, body)
 * in one direct buffer, so sending one is a duplicate and a write. Requests differ in body (the
 * {@link BeaconMix}), User-Agent, Content-Type and, with {@link LoadOptions.Source#XFF}, the
 * {@code X-Forwarded-For} client address.
 */
public final class RequestPool
{
    private static final String[] USER_AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"};

    /** The User-Agents the requests carry, in turn. */
    public static java.util.List<String> userAgents()
    {
        return java.util.List.of(USER_AGENTS);
    }

    private final ByteBuf[] owned;
    private final ByteBuf[] requests;
    private final byte[][] messages;

    public RequestPool(final LoadOptions options)
    {
        final List<BeaconMix.Body> bodies = BeaconMix.pool(options.site, options.pool, options.seed);
        this.owned = new ByteBuf[bodies.size()];
        this.requests = new ByteBuf[bodies.size()];
        this.messages = new byte[bodies.size()][];
        for (int i = 0; i < requests.length; i++)
        {
            final byte[] message = message(options, i, bodies.get(i).json());
            messages[i] = message;
            owned[i] = Unpooled.directBuffer(message.length).writeBytes(message);
            requests[i] = Unpooled.unreleasableBuffer(owned[i].asReadOnly());
        }
    }

    private static byte[] message(final LoadOptions options, final int i, final String json)
    {
        final byte[] body = json.getBytes(StandardCharsets.UTF_8);
        final StringBuilder head = new StringBuilder(256)
            .append("POST ").append(options.target.path()).append(" HTTP/1.1\r\n")
            .append("Host: ").append(options.target.hostHeader()).append("\r\n")
            .append("Content-Type: ").append(i % 10 == 9 ? "text/plain;charset=UTF-8" : "application/json").append("\r\n")
            .append("User-Agent: ").append(USER_AGENTS[i % USER_AGENTS.length]).append("\r\n");
        if (options.source == LoadOptions.Source.XFF)
        {
            head.append("X-Forwarded-For: ").append(clientAddress(i % options.clients)).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        final byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        final byte[] message = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, message, 0, headBytes.length);
        System.arraycopy(body, 0, message, headBytes.length, body.length);
        return message;
    }

    /** Client {@code n} (below 2^20) as 127.a.b.c with a from 1: never 127.0.0.1, the trusted proxy. */
    public static String clientAddress(final int n)
    {
        return "127." + (1 + (n >>> 16)) + "." + ((n >>> 8) & 0xFF) + "." + (n & 0xFF);
    }

    public int size()
    {
        return requests.length;
    }

    /** Request {@code i}'s bytes: a fresh view with its own indices, nothing to release. */
    public ByteBuf request(final int i)
    {
        return requests[i].duplicate();
    }

    /** How many bytes request {@code i} has. */
    public int length(final int i)
    {
        return messages[i].length;
    }

    /** Writes request {@code i}'s bytes into {@code out}, as a socket read would deliver them. */
    public void copyTo(final int i, final ByteBuf out)
    {
        out.writeBytes(messages[i]);
    }

    /** Frees the buffers; only once no request of the pool is being written any more. */
    public void release()
    {
        for (final ByteBuf buffer : owned)
        {
            buffer.release();
        }
    }
}
