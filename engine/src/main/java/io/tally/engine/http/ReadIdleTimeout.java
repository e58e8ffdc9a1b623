package io.tally.engine.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Fires {@code event} each time the connection has read nothing for {@code timeout} (the idle timeout between
 * requests; a request's own deadline is the request reader's). Only reads are watched: watching writes as
 * well would put a listener on every answer's write.
 */
final class ReadIdleTimeout extends IdleStateHandler
{
    private final Object event;

    ReadIdleTimeout(final Duration timeout, final Object event)
    {
        super(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
        this.event = event;
    }

    @Override
    protected void channelIdle(final ChannelHandlerContext ctx, final IdleStateEvent evt)
    {
        ctx.fireUserEventTriggered(event);
    }
}
