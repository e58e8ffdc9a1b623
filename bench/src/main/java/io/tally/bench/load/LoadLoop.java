package io.tally.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The generator's work on one event loop: its connections, which of them are idle, its share of the
 * open-loop schedule, and its results. Everything here runs on that loop's thread, so nothing is shared
 * but {@link LoadRun}'s phase and counters.
 */
final class LoadLoop
{
    /** How often due requests are checked for between answers (open mode), and overdue ones (always). */
    private static final long TICK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long TIMEOUT_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LoadRun run;
    private final EventLoop eventLoop;
    private final List<LoadConnection> connections = new ArrayList<>();
    private final ArrayDeque<LoadConnection> idle = new ArrayDeque<>();
    private final LoadResult result = new LoadResult();
    private OpenLoopSchedule schedule;
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> timeoutChecker;
    private Bootstrap bootstrap;
    private int nextRequest;

    LoadLoop(final LoadRun run, final EventLoop eventLoop, final int firstRequest)
    {
        this.run = run;
        this.eventLoop = eventLoop;
        this.nextRequest = firstRequest;
    }

    EventLoop eventLoop()
    {
        return eventLoop;
    }

    LoadResult result()
    {
        return result;
    }

    ByteBuf request(final int index)
    {
        return run.pool.request(index);
    }

    /** On the loop: starts sending; in open mode at {@code ratePerSecond}, this loop's share. */
    void start(final long startNanos, final double ratePerSecond)
    {
        if (run.options.mode == LoadOptions.Mode.OPEN)
        {
            schedule = new OpenLoopSchedule(startNanos, ratePerSecond,
                (int)Math.min(1 << 22, Math.max(1024, (long)ratePerSecond * 10)));
            ticker = eventLoop.scheduleAtFixedRate(this::sendDue, 0, TICK_NANOS, TimeUnit.NANOSECONDS);
        }
        timeoutChecker = eventLoop.scheduleAtFixedRate(this::abandonOverdue, TIMEOUT_CHECK_NANOS, TIMEOUT_CHECK_NANOS,
            TimeUnit.NANOSECONDS);
        while (!idle.isEmpty() && sendNext(idle.peekFirst(), System.nanoTime()))
        {
            idle.pollFirst();
        }
    }

    /**
     * On the loop, once the run stopped at {@code endNanos}: no more sends; what was due by then and never went
     * out is counted as unsent, including requests a late tick had not yet released.
     */
    void stop(final long endNanos)
    {
        if (ticker != null)
        {
            ticker.cancel(false);
        }
        if (schedule != null)
        {
            schedule.advance(endNanos, Long.MAX_VALUE);
            result.unsent = schedule.overflowed() + schedule.pendingCount();
        }
    }

    /** On the loop, at the very end: what is still in flight timed out. */
    void abandonAll()
    {
        timeoutChecker.cancel(false);
        for (final LoadConnection connection : new ArrayList<>(connections))
        {
            if (connection.isBusy())
            {
                result.timeouts++;
                run.inFlight.decrementAndGet();
            }
            connection.abandon();
        }
    }

    void onConnected(final LoadConnection connection)
    {
        connections.add(connection);
        if (run.phase == LoadRun.IDLE || !sendNext(connection, System.nanoTime()))
        {
            idle.addLast(connection);
        }
    }

    void onAnswer(final LoadConnection connection, final int status, final long startNanos)
    {
        final long now = System.nanoTime();
        if (run.phase == LoadRun.MEASURE)
        {
            result.statuses[status < result.statuses.length ? status : 0]++;
            result.latencies.recordValue(Math.min(LoadResult.HIGHEST_MICROS, Math.max(0, (now - startNanos) / 1000)));
        }
        if (!sendNext(connection, now))
        {
            idle.addLast(connection);
        }
        // After the next send was claimed: in flight never reads 0 while this connection goes on.
        run.inFlight.decrementAndGet();
    }

    void onBadResponse(final LoadConnection connection)
    {
        result.badResponses++;
        connection.abandon();
    }

    void onClosed(final LoadConnection connection, final boolean wasBusy)
    {
        connections.remove(connection);
        idle.remove(connection);
        if (wasBusy)
        {
            result.closedInFlight++;
            run.inFlight.decrementAndGet();
        }
        if (run.phase != LoadRun.STOPPED && run.claimReconnect())
        {
            run.connecting.incrementAndGet();
            connect(run.nextLocalAddress());
        }
    }

    /**
     * Opens one more connection on this loop, bound to {@code localAddress} when it is not null; the caller
     * counted it in {@link LoadRun#connecting}.
     */
    void connect(final SocketAddress localAddress)
    {
        if (bootstrap == null)
        {
            bootstrap = new Bootstrap()
                .group(eventLoop)
                .channel(run.channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)TimeUnit.NANOSECONDS.toMillis(run.timeoutNanos))
                .handler(new ChannelInitializer<>()
                {
                    @Override
                    protected void initChannel(final Channel ch)
                    {
                        ch.pipeline()
                            .addLast(new HttpResponseDecoder(4096, 8192, 8192))
                            .addLast(new LoadConnection(LoadLoop.this));
                    }
                });
        }
        final ChannelFuture future = localAddress == null ? bootstrap.connect(run.options.target.address()) :
            bootstrap.connect(run.options.target.address(), localAddress);
        future.addListener(f ->
        {
            run.connecting.decrementAndGet();
            if (!f.isSuccess())
            {
                result.connectFailures++;
            }
        });
    }

    /**
     * Sends the connection's next request if the run is sending and, in open mode, one is due.
     *
     * @return false when nothing was sent (the connection stays idle).
     */
    private boolean sendNext(final LoadConnection connection, final long now)
    {
        if (run.phase == LoadRun.STOPPED || run.phase == LoadRun.IDLE)
        {
            return false;
        }
        final long latencyStart;
        if (schedule != null)
        {
            schedule.advance(now, Long.MAX_VALUE);
            if (!schedule.hasPending() || !run.claimSend())
            {
                return false;
            }
            latencyStart = schedule.take();
        }
        else if (run.claimSend())
        {
            latencyStart = now;
        }
        else
        {
            return false;
        }
        result.sent++;
        connection.send(nextRequest, latencyStart, now);
        nextRequest = nextRequest + 1 == run.pool.size() ? 0 : nextRequest + 1;
        return true;
    }

    /** Open mode, every tick: due requests go out on idle connections; the rest wait in the schedule. */
    private void sendDue()
    {
        final long now = System.nanoTime();
        while (!idle.isEmpty() && sendNext(idle.peekFirst(), now))
        {
            idle.pollFirst();
        }
        if (run.phase != LoadRun.STOPPED)
        {
            schedule.advance(now, Long.MAX_VALUE);
        }
    }

    private void abandonOverdue()
    {
        final long now = System.nanoTime();
        for (final LoadConnection connection : new ArrayList<>(connections))
        {
            if (connection.isOverdue(now, run.timeoutNanos))
            {
                result.timeouts++;
                run.inFlight.decrementAndGet();
                connection.abandon();
            }
        }
    }
}
