package io.tally.engine.http.wire;

import io.netty.channel.ChannelHandlerContext;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Holds each request to {@code --read-timeout} from its first byte to its last, however the bytes are spread (a
 * client trickling one byte a second is cut as surely as one that stops). Between requests no deadline runs:
 * keep-alive idling is the idle timeout's. A begun request costs one {@link System#nanoTime} stamp; there is no
 * timer per request: one check per connection runs when the request under way would pass its deadline (or a
 * whole timeout later when none is), and tells the reader's listener about one that has.
 */
final class ReadDeadline
{
    private final long timeoutNanos;
    private final Runnable onTimeout;
    private final Runnable check = this::check;
    private ChannelHandlerContext ctx;
    private Future<?> scheduled;
    private boolean underWay;
    private long startNanos;

    /** @param readTimeout zero or less: no deadline. */
    ReadDeadline(final Duration readTimeout, final Runnable onTimeout)
    {
        this.timeoutNanos = readTimeout.toNanos();
        this.onTimeout = onTimeout;
    }

    /** The connection is open: the checks begin. */
    void start(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        if (scheduled == null && timeoutNanos > 0)
        {
            schedule(timeoutNanos);
        }
    }

    void stop()
    {
        if (scheduled != null)
        {
            scheduled.cancel(false);
            scheduled = null;
        }
    }

    /** A request begins (or is given another whole timeout from now). */
    void begin()
    {
        underWay = true;
        startNanos = System.nanoTime();
    }

    void end()
    {
        underWay = false;
    }

    boolean isUnderWay()
    {
        return underWay;
    }

    long startNanos()
    {
        return startNanos;
    }

    private void schedule(final long delayNanos)
    {
        scheduled = ctx.executor().schedule(check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check()
    {
        scheduled = null;
        if (!ctx.channel().isOpen())
        {
            return;
        }
        long next = timeoutNanos;
        if (underWay)
        {
            final long left = startNanos + timeoutNanos - System.nanoTime();
            if (left <= 0)
            {
                onTimeout.run();
            }
            else
            {
                next = left;
            }
        }
        if (ctx.channel().isOpen())
        {
            schedule(next);
        }
    }
}
