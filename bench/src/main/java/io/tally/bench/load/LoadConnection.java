package io.tally.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/** One keep-alive connection of the generator: at most one request in flight, answered before the next. */
final class LoadConnection extends ChannelInboundHandlerAdapter
{
    private final LoadLoop loop;
    private Channel channel;
    private boolean busy;
    private long startNanos;
    private long sentNanos;
    private int status;

    LoadConnection(final LoadLoop loop)
    {
        this.loop = loop;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
        loop.onConnected(this);
    }

    /**
     * Writes one request.
     *
     * @param latencyStartNanos when its latency starts: now (closed mode) or its intended send time (open).
     * @param nowNanos          now: the request's timeout runs from here.
     */
    void send(final int requestIndex, final long latencyStartNanos, final long nowNanos)
    {
        busy = true;
        startNanos = latencyStartNanos;
        sentNanos = nowNanos;
        status = 0;
        channel.writeAndFlush(loop.request(requestIndex), channel.voidPromise());
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            final HttpObject object = (HttpObject)msg;
            if (object.decoderResult().isFailure() || !busy)
            {
                loop.onBadResponse(this);
                return;
            }
            if (object instanceof HttpResponse)
            {
                status = ((HttpResponse)object).status().code();
            }
            if (object instanceof LastHttpContent)
            {
                busy = false;
                loop.onAnswer(this, status, startNanos);
            }
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        final boolean wasBusy = busy;
        busy = false;
        loop.onClosed(this, wasBusy);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }

    boolean isOverdue(final long nowNanos, final long timeoutNanos)
    {
        return busy && nowNanos - sentNanos > timeoutNanos;
    }

    boolean isBusy()
    {
        return busy;
    }

    /** Gives up on the request in flight (counted by the caller) and closes. */
    void abandon()
    {
        busy = false;
        channel.close();
    }
}
