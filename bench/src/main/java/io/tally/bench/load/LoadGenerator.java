package io.tally.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The load generator: opens the connections, runs warm-up and the measured window in closed or open mode,
 * stops at whichever bound comes first (duration or request count), waits up to the request timeout for
 * answers in flight, and merges the loops' results.
 */
public final class LoadGenerator
{
    private static final long CONNECT_WAIT_MILLIS = 10_000;

    private LoadGenerator()
    {
    }

    public static LoadResult run(final LoadOptions options)
    {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends Channel> channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(options.threads, handlers);
        final RequestPool pool = new RequestPool(options);
        final LoadRun run = new LoadRun(options, pool, channelType);
        final List<LoadLoop> loops = new ArrayList<>();
        try
        {
            for (final EventExecutor executor : group)
            {
                loops.add(new LoadLoop(run, (EventLoop)executor, loops.size() * pool.size() / options.threads));
            }
            return measure(options, run, loops);
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            pool.release();
        }
    }

    private static LoadResult measure(final LoadOptions options, final LoadRun run, final List<LoadLoop> loops)
    {
        for (int i = 0; i < options.connections; i++)
        {
            final LoadLoop loop = loops.get(i % loops.size());
            run.connecting.incrementAndGet();
            loop.eventLoop().execute(() -> loop.connect(run.nextLocalAddress()));
        }
        final long connectDeadline = System.currentTimeMillis() + CONNECT_WAIT_MILLIS;
        while (run.connecting.get() > 0 && System.currentTimeMillis() < connectDeadline)
        {
            sleep(5);
        }
        final long start = System.nanoTime();
        run.phase = options.warmupMillis > 0 ? LoadRun.WARMUP : LoadRun.MEASURE;
        for (final LoadLoop loop : loops)
        {
            loop.eventLoop().execute(() -> loop.start(start, (double)options.rate / loops.size()));
        }
        long measureStart = start;
        if (options.warmupMillis > 0)
        {
            waitUntil(run, start + TimeUnit.MILLISECONDS.toNanos(options.warmupMillis));
            measureStart = System.nanoTime();
            run.phase = LoadRun.MEASURE;
        }
        final ServerThreads server = ServerThreads.from(options.serverPid);
        waitUntil(run, measureStart + TimeUnit.MILLISECONDS.toNanos(options.durationMillis));
        run.phase = LoadRun.STOPPED;
        final long measureEnd = System.nanoTime();
        final Map<String, Double> serverSeconds = server.secondsSince();
        for (final LoadLoop loop : loops)
        {
            loop.eventLoop().execute(() -> loop.stop(measureEnd));
        }
        final long drainDeadline = System.nanoTime() + run.timeoutNanos;
        while (run.inFlight.get() > 0 && System.nanoTime() < drainDeadline)
        {
            sleep(1);
        }
        final LoadResult total = new LoadResult();
        for (final LoadLoop loop : loops)
        {
            loop.eventLoop().submit(loop::abandonAll).syncUninterruptibly();
            total.add(loop.result());
        }
        total.options = options;
        total.measuredNanos = measureEnd - measureStart;
        total.serverThreadSeconds = serverSeconds;
        return total;
    }

    /** Sleeps until {@code deadline}, or until the request count is used up and every answer is in. */
    private static void waitUntil(final LoadRun run, final long deadline)
    {
        while (System.nanoTime() < deadline && !(run.sendsExhausted() && run.inFlight.get() == 0))
        {
            sleep(Math.max(0, Math.min(10, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        }
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
