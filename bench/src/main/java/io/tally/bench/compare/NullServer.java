package io.tally.bench.compare;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ceiling: a Netty server (epoll) that decodes HTTP/1.1 requests, reads and drops each body, and answers
 * every one 202 with the same prebuilt bytes, flushed once per read batch. Any Netty server that does
 * something with the request can at best match it on the same machine.
 * <p>
 * Two variants measure what that ceiling is made of: io_uring instead of epoll, and a bare {@link RequestScanner}
 * instead of Netty's HTTP decoder (BENCHMARKS.md, "What the ceiling is made of"). The harness uses the default. With
 * {@link RequestRecords}, each request also writes a journal-sized record (through a memory-mapped file, or into
 * Tally's journal).
 */
public final class NullServer implements AutoCloseable
{
    /** How the server does its I/O. */
    public enum Transport
    {
        EPOLL, IO_URING
    }

    /** How the server reads a request. */
    public enum Decoder
    {
        NETTY, SCANNER
    }

    static final ByteBuf ACCEPTED = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(
        "HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).asReadOnly());

    private final MultiThreadIoEventLoopGroup group;
    private final Channel serverChannel;
    private final LongAdder requests = new LongAdder();
    private final RequestRecords records;

    public NullServer(final String host, final int port, final int threads)
    {
        this(host, port, threads, Transport.EPOLL, Decoder.NETTY, null);
    }

    /** {@code records}: written to for each request answered (the Netty decoder only), or null. */
    public NullServer(final String host, final int port, final int threads, final Transport transport, final Decoder decoder,
        final RequestRecords records)
    {
        this.records = records;
        final boolean uring = transport == Transport.IO_URING;
        if (uring && !IoUring.isAvailable())
        {
            throw new IllegalArgumentException("io_uring is not available here: " + IoUring.unavailabilityCause());
        }
        this.group = new MultiThreadIoEventLoopGroup(threads, uring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory());
        this.serverChannel = new ServerBootstrap()
            .group(group)
            .channel(uring ? IoUringServerSocketChannel.class : EpollServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    if (decoder == Decoder.SCANNER)
                    {
                        ch.pipeline().addLast(new RequestScanner(requests::increment));
                    }
                    else
                    {
                        ch.pipeline().addLast(new HttpRequestDecoder()).addLast(new Answer());
                    }
                }
            })
            .bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
    }

    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    /** Requests answered so far. */
    public long requests()
    {
        return requests.sum();
    }

    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        if (records != null)
        {
            records.close();
        }
    }

    private final class Answer extends ChannelInboundHandlerAdapter
    {
        private boolean answered;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final boolean last = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (last)
            {
                requests.increment();
                if (records != null)
                {
                    records.append();
                }
                ctx.write(ACCEPTED.duplicate(), ctx.voidPromise());
                answered = true;
            }
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx)
        {
            if (answered)
            {
                answered = false;
                ctx.flush();
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }
}
