package io.tally.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Netty's request decoder, holding each request to the read deadline: from the first byte of a request to its
 * last, {@code --read-timeout} in all, however the bytes are spread (a client trickling one byte a second is cut
 * as surely as one that stops). Between requests no deadline runs: keep-alive idling is the idle timeout's.
 * <p>
 * Only the decoder knows where a request begins and ends on the wire: a request begins with the first byte read
 * while none is under way, or with the bytes that follow the end of the last one in the same read (pipelining),
 * and ends where the decoder emits its {@link LastHttpContent}. A begun request costs one {@link System#nanoTime}
 * stamp; there is no timer per request. One check per connection runs when the request under way would pass its
 * deadline (or a whole timeout later when none is), and fires {@link HttpIngestHandler#READ_TIMEOUT} at one that
 * has.
 */
final class RequestDecoder extends HttpRequestDecoder
{
    private final long timeoutNanos;
    private final Runnable check = this::check;
    private ChannelHandlerContext ctx;
    private Future<?> scheduled;
    private boolean underWay;
    private long startNanos;

    /** @param readTimeout zero or less: no deadline. */
    RequestDecoder(final HttpDecoderConfig config, final Duration readTimeout)
    {
        super(config);
        this.timeoutNanos = readTimeout.toNanos();
    }

    /**
     * Gives the request under way another whole timeout from now. For bodies that are streams of any length (a
     * trusted batch), which are held to the timeout between pieces instead of as a whole.
     */
    void extendDeadline()
    {
        startNanos = System.nanoTime();
    }

    /** When the request under way began (its first byte was read), as {@link System#nanoTime}. */
    long requestStartNanos()
    {
        return startNanos;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx) throws Exception
    {
        this.ctx = ctx;
        if (ctx.channel().isActive())
        {
            startChecking();
        }
        super.handlerAdded(ctx);
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        startChecking();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        stopChecking();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(final ChannelHandlerContext ctx) throws Exception
    {
        stopChecking();
        super.handlerRemoved0(ctx);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception
    {
        if (!underWay)
        {
            begin();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf buffer, final List<Object> out) throws Exception
    {
        super.decode(ctx, buffer, out);
        // the decoder returns right after a request's last content: what is left in the buffer is the next request
        if (!out.isEmpty() && out.get(out.size() - 1) instanceof LastHttpContent)
        {
            underWay = false;
            if (buffer.isReadable())
            {
                begin();
            }
        }
    }

    private void begin()
    {
        underWay = true;
        startNanos = System.nanoTime();
    }

    private void startChecking()
    {
        if (scheduled == null && timeoutNanos > 0)
        {
            schedule(timeoutNanos);
        }
    }

    private void stopChecking()
    {
        if (scheduled != null)
        {
            scheduled.cancel(false);
            scheduled = null;
        }
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
                ctx.fireUserEventTriggered(HttpIngestHandler.READ_TIMEOUT);
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
