package io.tally.bench.load;

import io.netty.channel.Channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What the loops of one run share: options, the request pool, the phase, and the bounded counters. */
final class LoadRun
{
    static final int IDLE = 0;
    static final int WARMUP = 1;
    static final int MEASURE = 2;
    static final int STOPPED = 3;

    final LoadOptions options;
    final RequestPool pool;
    final Class<? extends Channel> channelType;
    final long timeoutNanos;
    final AtomicLong inFlight = new AtomicLong();
    final AtomicInteger connecting = new AtomicInteger();
    private final AtomicLong sendsLeft;
    private final AtomicInteger reconnectsLeft;
    private final AtomicInteger localAddresses = new AtomicInteger();
    volatile int phase = IDLE;

    LoadRun(final LoadOptions options, final RequestPool pool, final Class<? extends Channel> channelType)
    {
        this.options = options;
        this.pool = pool;
        this.channelType = channelType;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(options.timeoutMillis);
        this.sendsLeft = new AtomicLong(options.maxRequests);
        this.reconnectsLeft = new AtomicInteger(10 * options.connections + 1000);
    }

    /** Takes one request from the count bound; false once {@code --requests} are sent. */
    boolean claimSend()
    {
        if (sendsLeft.get() <= 0 || sendsLeft.decrementAndGet() < 0)
        {
            return false;
        }
        inFlight.incrementAndGet();
        return true;
    }

    boolean sendsExhausted()
    {
        return sendsLeft.get() <= 0;
    }

    /** Connections lost while running are replaced, up to a bound (ten per connection, plus 1,000). */
    boolean claimReconnect()
    {
        return reconnectsLeft.decrementAndGet() >= 0;
    }

    /** With {@link LoadOptions.Source#BIND}, the next local address (127.0.0.2 on); otherwise null. */
    SocketAddress nextLocalAddress()
    {
        if (options.source != LoadOptions.Source.BIND)
        {
            return null;
        }
        final int n = 2 + localAddresses.getAndIncrement() % 0xFF_FFFD;
        try
        {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, (byte)(n >>> 16), (byte)(n >>> 8), (byte)n}), 0);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
