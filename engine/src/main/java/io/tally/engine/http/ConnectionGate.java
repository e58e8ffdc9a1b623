package io.tally.engine.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.tally.engine.metrics.IngestCounters;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * First handler of every connection: refuses connections past {@code --max-connections} (closing them at
 * once, counted) and registers the rest in the group that shutdown drains. One per connection.
 */
final class ConnectionGate extends ChannelInboundHandlerAdapter
{
    private final AtomicInteger open;
    private final int max;
    private final ChannelGroup channels;
    private final IngestCounters counters;

    ConnectionGate(final AtomicInteger open, final int max, final ChannelGroup channels, final IngestCounters counters)
    {
        this.open = open;
        this.max = max;
        this.channels = channels;
        this.counters = counters;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        if (open.incrementAndGet() > max)
        {
            open.decrementAndGet();
            counters.rejectedConnection();
            ctx.close();
            return;
        }
        channels.add(ctx.channel());
        ctx.pipeline().remove(this);
        ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
        super.channelActive(ctx);
    }
}
