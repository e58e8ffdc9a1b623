package io.tally.engine.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tally.engine.EngineConfig;
import io.tally.engine.api.ApiServices;
import io.tally.engine.api.admin.AdminApi;
import io.tally.engine.api.admin.MetricsEndpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The Netty server: epoll where the kernel has it, NIO elsewhere; one event loop per core, each running
 * the whole per-event path for its connections (decode, limit, match, append, answer). It is handed the engine's
 * {@link ServerServices}, never the engine itself. {@link #close()} drains: it stops accepting, lets requests in
 * flight finish and closes idle connections; the engine behind it is closed by whoever made it, afterwards.
 */
public final class TallyServer implements AutoCloseable
{
    private static final int MAX_INITIAL_LINE = 4096;
    /**
     * Reads start at 4 KiB and never shrink below: Netty's default adapts down to the small beacons, after which
     * a larger one (a custom event with many properties) takes several reads and reaches the handler in pieces.
     */
    private static final int MIN_READ = 4096;
    private static final int MAX_READ = 64 * 1024;

    private final ServerServices services;
    private final ColdWork coldWork;
    private final EventLoopGroup group;
    private final ChannelGroup channels = new DefaultChannelGroup("tally-connections", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Channel serverChannel;
    private final boolean epoll;

    private TallyServer(final ServerServices services)
    {
        this.services = services;
        final EngineConfig config = services.config();
        final ServiceAnswers answers = answers(services, openConnections::get);
        final HttpServices http = services.http();
        this.coldWork = ColdWork.start(config.apiThreads(), config.apiQueue(), config.apiWait());
        this.epoll = Epoll.isAvailable();
        final IoHandlerFactory ioHandlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("tally-io"), ioHandlers);
        final Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // a client's half-close ends its requests, not the answers it is owed (some are made off the loop)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(MIN_READ, MIN_READ, MAX_READ))
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline()
                        .addLast(new ConnectionGate(openConnections, config.maxConnections(), channels, http.counters()))
                        .addLast(new ReadIdleTimeout(config.idleTimeout(), HttpIngestHandler.IDLE_TIMEOUT));
                    addHttpHandlers(ch.pipeline(), http, answers, coldWork);
                }
            });
        try
        {
            this.serverChannel = bootstrap.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            coldWork.close();
            throw new IllegalStateException("interrupted while binding", ex);
        }
        catch (final Exception ex)
        {
            // Netty throws a failed bind's IOException unchecked: caught here too, or its event loop keeps the JVM alive
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
            coldWork.close();
            if (ex instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port(),
                ex instanceof IOException io ? io : new IOException(ex));
        }
    }

    /**
     * The HTTP end of a connection's pipeline: the response encoder, then the handler, which reads the requests
     * straight from the bytes (holding each to {@code --read-timeout}) and answers them through its routes.
     * Public for the bench module, which runs it on an {@code EmbeddedChannel}: there the API's answers are made
     * on the calling thread.
     */
    public static void addHttpHandlers(final ChannelPipeline pipeline, final ServerServices services)
    {
        addHttpHandlers(pipeline, services.http(), answers(services, () -> 0), ColdWork.inline());
    }

    private static ServiceAnswers answers(final ServerServices services, final IntSupplier openConnections)
    {
        final ApiServices api = services.api();
        return new ServiceAnswers(services.readings(), services.apiFront().apply(new AdminApi(api, services.readings())),
            new MetricsEndpoint(services.readings(), services.config().metricsToken(), openConnections),
            new PublicResources(api.goals(), api.sites()),
            new MonitoringAccess(services.config().metricsAllow(), services.config().metricsToken()), services.ingests());
    }

    private static void addHttpHandlers(final ChannelPipeline pipeline, final HttpServices http, final ServiceAnswers answers,
        final ColdWork coldWork)
    {
        pipeline
            .addLast(new ResponseEncoder())
            .addLast(new HttpIngestHandler(http, answers, coldWork, MAX_INITIAL_LINE));
    }

    /** Starts the server on the configured address; returns once it accepts connections. */
    public static TallyServer start(final ServerServices services)
    {
        return new TallyServer(services);
    }

    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    public boolean usesEpoll()
    {
        return epoll;
    }

    public int openConnections()
    {
        return openConnections.get();
    }

    /** The threads of the API's answers. */
    public ColdWork coldWork()
    {
        return coldWork;
    }

    /**
     * Drains and stops: the engine is told it is draining; no new connections; idle ones are closed; requests in
     * flight are answered (with {@code Connection: close}); after the drain timeout whatever is left is closed.
     */
    @Override
    public void close()
    {
        services.startDraining().run();
        serverChannel.close().syncUninterruptibly();
        for (final Channel channel : channels)
        {
            channel.pipeline().fireUserEventTriggered(HttpIngestHandler.DRAIN);
        }
        final long deadline = System.nanoTime() + services.config().drainTimeout().toNanos();
        while (!channels.isEmpty() && System.nanoTime() < deadline)
        {
            sleepBriefly();
        }
        channels.close().awaitUninterruptibly();
        coldWork.close(services.config().drainTimeout().toMillis());
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static void sleepBriefly()
    {
        try
        {
            Thread.sleep(10);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
