package io.tally.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.AsciiString;
import io.tally.codec.TextView;
import io.tally.engine.audience.Audience;
import io.tally.engine.audience.AudienceCache;
import io.tally.engine.audience.ReferrerSpam;
import io.tally.engine.audience.UserAgentParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What the audience costs an event: on the event loop, a known User-Agent's lookup in the {@link AudienceCache} (a
 * hash of its characters, read from bytes as the request head holds them, and one map lookup; the goal is 0 B/op)
 * and the referrer host's check against the {@link ReferrerSpam} list; off the loop, once per new User-Agent, a
 * yauaa parse (for scale: what the cache saves). Run with {@code bench/jmh.sh Audience}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AudienceBenchmark
{
    /** The load generator's five browsers and three robots: eight distinct User-Agents. */
    private static final String[] AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
        "python-requests/2.31.0"};
    /** Referrer hosts: search engines, a news site, a subdomain of a listed spammer. */
    private static final String[] HOSTS = {"www.google.com", "news.ycombinator.com", "t.co", "www.bing.com",
        "duckduckgo.com", "www.0-0.fr", "l.facebook.com", "en.wikipedia.org"};

    private final AudienceCache cache = new AudienceCache(10_000);
    private final AudienceCache.Probe probe = new AudienceCache.Probe();
    private final UserAgentParser parser = new UserAgentParser();
    private final ReferrerSpam spam = ReferrerSpam.shipped();
    /** The User-Agents as the request head holds them: bytes read as ISO-8859-1 characters. */
    private final AsciiString[] heads = new AsciiString[AGENTS.length];
    private final TextView[] hosts = new TextView[HOSTS.length];
    private ByteBuf hostBytes;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        for (int i = 0; i < AGENTS.length; i++)
        {
            heads[i] = new AsciiString(AGENTS[i].getBytes(StandardCharsets.ISO_8859_1), true);
            cache.put(AGENTS[i], parser.parse(AGENTS[i]));
        }
        hostBytes = Unpooled.directBuffer(256);
        for (int i = 0; i < HOSTS.length; i++)
        {
            final int at = hostBytes.writerIndex();
            hostBytes.writeCharSequence(HOSTS[i], StandardCharsets.US_ASCII);
            hosts[i] = new TextView().wrap(hostBytes, at, HOSTS[i].length());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        hostBytes.release();
    }

    /** On the event loop, per event: a known User-Agent's audience. */
    @Benchmark
    public Audience cacheHit()
    {
        final int i = next++ & (AGENTS.length - 1);
        return cache.find(probe.wrap(heads[i]));
    }

    /** On the event loop, per event with a referrer: its host against the spam list. */
    @Benchmark
    public boolean spamReferrer()
    {
        final int i = next++ & (HOSTS.length - 1);
        return spam.isSpam(hosts[i]);
    }

    /** Off the loop, once per new User-Agent: yauaa's parse (its own cache off, as Tally builds it). */
    @Benchmark
    public Audience parseMiss()
    {
        final int i = next++ & (AGENTS.length - 1);
        return parser.parse(AGENTS[i]);
    }
}
