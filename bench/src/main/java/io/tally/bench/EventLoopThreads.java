package io.tally.bench;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's worker threads made as Netty makes the engine's I/O threads ({@link DefaultThreadFactory}:
 * {@code FastThreadLocalThread}s), for a benchmark that runs the HTTP handler as an event loop would: Netty's
 * {@code Recycler} pools its objects (a write's outbound entry, for one) only on such threads, so on JMH's plain
 * threads each write would allocate what the server's loop reuses. Chosen with
 * {@code -Djmh.executor=CUSTOM -Djmh.executor.class=io.tally.bench.EventLoopThreads}.
 */
public final class EventLoopThreads extends ThreadPoolExecutor
{
    public EventLoopThreads(final int threads, final String prefix)
    {
        super(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), new DefaultThreadFactory(prefix));
    }
}
