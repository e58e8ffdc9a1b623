package io.tally.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.tally.bench.load.LoadOptions;
import io.tally.bench.load.RequestPool;
import io.tally.engine.Engine;
import io.tally.engine.http.TallyServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The whole HTTP handler on an {@link EmbeddedChannel}: the engine's own pipeline end
 * ({@link TallyServer#addHttpHandlers}: HTTP codec, body limit, routes) takes one request of the load
 * generator's pool per operation (the same bytes it sends: the mix with 3% invalid, User-Agent,
 * {@code X-Forwarded-For} from 4,096 addresses, the peer 127.0.0.1 a trusted proxy) and its answer is read and
 * released: HTTP decode, limit, decode, match, encode, append, answer encode. Each request arrives as a socket
 * read delivers it, in a pooled buffer the handler releases (filled per operation: a copy of some 400 bytes), and
 * is fired through the pipeline without the embedded channel's varargs array, on a thread made as the engine's
 * I/O threads are ({@link EventLoopThreads}), so that what the benchmark allocates is the handler's. Run with
 * {@code bench/jmh.sh HttpHandler}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.tally.bench.EventLoopThreads"})
@State(Scope.Thread)
public class HttpHandlerBenchmark
{
    /** The rate limiter: on with limits no client reaches, or off. */
    @Param({"on", "off"})
    public String limiter;

    private Path dir;
    private Engine engine;
    private RequestPool requests;
    private EmbeddedChannel channel;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        dir = Files.createTempDirectory("tally-jmh-handler");
        engine = BenchEngine.start(dir, "on".equals(limiter));
        requests = new RequestPool(LoadOptions.parse(List.of("--url", "http://127.0.0.1:8080/api/event",
            "--site", BenchEvents.SITE)));
        // the channel is driven by hand: nothing would resume a beacon held while its new User-Agent is classified
        RequestPool.userAgents().forEach(engine.ingestServices().screening().classifier()::prime);
        channel = new PeerChannel();
        TallyServer.addHttpHandlers(channel.pipeline(), engine.serverServices());
        channel.register();
        for (int i = 0; i < requests.size(); i++)
        {
            handle();
        }
        if (!channel.isActive())
        {
            throw new IllegalStateException("the engine closed the connection");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        channel.finishAndReleaseAll();
        requests.release();
        engine.close();
        TempDirs.delete(dir);
    }

    /** @return the bytes of the answer. */
    @Benchmark
    public int handle()
    {
        final int i = next;
        next = i + 1 == requests.size() ? 0 : i + 1;
        final ByteBuf read = channel.alloc().directBuffer(requests.length(i));
        requests.copyTo(i, read);
        channel.pipeline().fireChannelRead(read);
        channel.pipeline().fireChannelReadComplete();
        channel.runPendingTasks();
        int answered = 0;
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound())
        {
            answered += out instanceof ByteBuf ? ((ByteBuf)out).readableBytes() : 1;
            ReferenceCountUtil.release(out);
        }
        return answered;
    }

    /** An embedded channel whose peer is 127.0.0.1, so the handler believes its {@code X-Forwarded-For}. */
    private static final class PeerChannel extends EmbeddedChannel
    {
        private static final SocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

        PeerChannel()
        {
            super(false, false);
        }

        @Override
        protected SocketAddress remoteAddress0()
        {
            return PEER;
        }
    }
}
