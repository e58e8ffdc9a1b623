package io.tally.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.Outcome;
import io.tally.codec.TextView;
import io.tally.codec.UrlParts;
import io.tally.codec.json.Json;
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
import org.openjdk.jmh.infra.Blackhole;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The beacon codec on one body at a time: {@link BeaconDecoder} alone, decode then {@link EventRecordEncoder}
 * (the codec half of {@code EventIngestor}), and a JDK baseline that only does the naive first step of a
 * String-based parser (copy the body to a {@code byte[]}, make a {@code String}).
 * <p>
 * Bodies are the accepted (202) vectors of the codec's {@code vectors/beacons.jsonl}, read from the codec
 * test-jar on the classpath (any accepted vector's name works with {@code -p beacon=...}), plus
 * {@value #TYPICAL}: a generated custom event with five properties, revenue and a referrer, about 300 bytes, and
 * three bodies of Plausible's script ({@link #PLAUSIBLE_SCRIPT}, {@link #PLAUSIBLE_REWRITTEN},
 * {@link #PLAUSIBLE_ENGAGEMENT}), which take Plausible's own rules (dropped fields, a rewritten URL).
 * Each body sits in a pooled direct {@link ByteBuf}, as Netty hands it over; the decoder reads it with absolute
 * indices, so the same buffer is decoded again and again. The goal for {@link #decode} and
 * {@link #decodeEncode} is 0 B/op under {@code -prof gc}. Run with {@code bench/jmh.sh BeaconDecode}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BeaconDecodeBenchmark
{
    /** The {@link #beacon} value of the generated body. */
    public static final String TYPICAL = "typical";
    /** Plausible's script as it sends a custom event: props and revenue as JSON strings, an outside referrer. */
    public static final String PLAUSIBLE_SCRIPT = "plausible script";
    /**
     * A Plausible body where everything Plausible drops or rewrites is there: a percent-encoded path with a trailing
     * space and a hash-mode fragment (the URL rewritten), a blank and a null property, an internal referrer.
     */
    public static final String PLAUSIBLE_REWRITTEN = "plausible rewritten";
    /** The engagement Plausible's script sends when a page is hidden: scroll depth and engaged milliseconds. */
    public static final String PLAUSIBLE_ENGAGEMENT = "plausible engagement";
    private static final Map<String, String> PLAUSIBLE = Map.of(
        PLAUSIBLE_SCRIPT, "{\"n\":\"Checkout\",\"u\":\"https://shop.example/checkout/complete?order=A7F3K9\"," +
            "\"d\":\"shop.example\",\"r\":\"https://www.google.com/search?q=pro+plan\",\"w\":1440,\"h\":0,\"v\":26," +
            "\"p\":\"{\\\"plan\\\":\\\"Pro\\\",\\\"seats\\\":3}\"," +
            "\"$\":\"{\\\"amount\\\":\\\"129.00\\\",\\\"currency\\\":\\\"EUR\\\"}\"}",
        PLAUSIBLE_REWRITTEN, "{\"n\":\"pageview\",\"u\":\"https://shop.example/caf%C3%A9/men%C3%BC%20#/step-2\"," +
            "\"d\":\"shop.example\",\"r\":\"https://shop.example/\",\"h\":1," +
            "\"m\":{\"plan\":\"Pro\",\"  \":\"x\",\"gone\":null,\"nested\":{\"a\":1}}}",
        PLAUSIBLE_ENGAGEMENT, "{\"n\":\"engagement\",\"u\":\"https://shop.example/pricing\",\"d\":\"shop.example\"," +
            "\"sd\":64,\"e\":18250,\"v\":26,\"h\":0}");
    /** Large enough for any body here; the engine's default body limit. */
    private static final int MAX_BODY = 16 * 1024;
    private static final String VECTORS = "/vectors/beacons.jsonl";
    private static final byte[] SITE = "shop.example".getBytes(StandardCharsets.UTF_8);

    @Param({
        TYPICAL,
        PLAUSIBLE_SCRIPT,
        PLAUSIBLE_REWRITTEN,
        PLAUSIBLE_ENGAGEMENT,
        "pageview minimal",
        "custom with props and revenue",
        "31 properties keep the first 30",
        "unicode escapes decoded",
        "value cut to 2000 characters"})
    public String beacon;

    private final BeaconDecoder decoder = new BeaconDecoder();
    private final Beacon decoded = new Beacon();
    private final Enrichment enrichment = new Enrichment();
    private final TextView host = new TextView();
    private final TextView scratchHost = new TextView();
    private final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(MAX_BODY));
    private ByteBuf body;

    @Setup(Level.Trial)
    public void setUp()
    {
        final byte[] bytes = TYPICAL.equals(beacon) ? typicalBody() :
            PLAUSIBLE.containsKey(beacon) ? PLAUSIBLE.get(beacon).getBytes(StandardCharsets.UTF_8) : vectorBody(beacon);
        body = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length, bytes.length).writeBytes(bytes);
        final Outcome outcome = decoder.decode(body, decoded);
        if (outcome != Outcome.ACCEPTED)
        {
            throw new IllegalStateException("'" + beacon + "' does not decode: " + outcome + ", " +
                decoder.errorDetail() + " at byte " + decoder.errorOffset());
        }
        if (body.readerIndex() != 0 || body.writerIndex() != bytes.length)
        {
            throw new IllegalStateException("decoding moved the body's indices");
        }
        if (decodeEncode() <= 0)
        {
            throw new IllegalStateException("'" + beacon + "' does not encode");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        body.release();
        body = null;
    }

    /** Decode only: the flyweight's views point into the body. */
    @Benchmark
    public void decode(final Blackhole bh)
    {
        bh.consume(decoder.decode(body, decoded));
        bh.consume(decoded.name().length());
    }

    /**
     * What {@code EventIngestor} does around the journal append, minus the engine's site lookup and visitor
     * hashing (constants here): decode, find the URL's host, {@code value=} and ASIN, encode the record.
     *
     * @return the record's length.
     */
    @Benchmark
    public int decodeEncode()
    {
        if (decoder.decode(body, decoded) != Outcome.ACCEPTED || !UrlParts.host(decoded.url(), host))
        {
            return -1;
        }
        enrichment.reset()
            .receivedAt(1_767_225_600_000L)
            .visitor(0x5DEECE66DL)
            .session(42L)
            .site(SITE)
            .hasUrlValue(UrlParts.valueParameter(decoded.url(), enrichment.urlValue()));
        UrlParts.asin(decoded.target(), enrichment.asin(), scratchHost);
        return encoder.encode(decoded, enrichment);
    }

    /** JDK baseline: only the first step of a naive parser, the body copied out and made a String. */
    @Benchmark
    public String jdkCopyToString()
    {
        final byte[] bytes = new byte[body.readableBytes()];
        body.getBytes(body.readerIndex(), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The body of the accepted vector called {@code name}, as UTF-8. */
    static byte[] vectorBody(final String name)
    {
        final List<String> accepted = new ArrayList<>();
        for (final Map<String, Object> vector : readVectors())
        {
            final boolean isAccepted = new BigDecimal(202).compareTo((BigDecimal)vector.get("status")) == 0;
            if (isAccepted && name.equals(vector.get("name")))
            {
                return ((String)vector.get("body")).getBytes(StandardCharsets.UTF_8);
            }
            if (isAccepted)
            {
                accepted.add((String)vector.get("name"));
            }
        }
        throw new IllegalArgumentException("no accepted vector '" + name + "'; " + TYPICAL + " or one of " + accepted);
    }

    private static List<Map<String, Object>> readVectors()
    {
        final InputStream in = BeaconDecodeBenchmark.class.getResourceAsStream(VECTORS);
        if (in == null)
        {
            throw new IllegalStateException(VECTORS + " is not on the classpath (it comes in the tally-codec test-jar)");
        }
        final List<Map<String, Object>> vectors = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
        {
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                if (!line.isBlank())
                {
                    vectors.add(Json.parseObject(line));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return vectors;
    }

    /**
     * A checkout as a shop's tracker sends it: custom event, five properties (strings and a number), revenue
     * in a non-default currency, a search-engine referrer and a {@code value=} in the page URL. About 300 bytes.
     */
    static byte[] typicalBody()
    {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("t", "e");
        body.put("n", "Checkout Completed");
        body.put("u", "https://shop.example/checkout/complete?order=A7F3K9&value=129.00");
        body.put("r", "https://www.google.com/search?q=pro+plan+annual+pricing&client=firefox-b-d");
        body.put("mk", List.of("plan", "billing", "coupon", "items", "experiment"));
        body.put("mv", List.of("Pro", "annual", "SPRING24", new BigDecimal(3), "checkout-v2"));
        body.put("ra", new BigDecimal("129.00"));
        body.put("rc", "EUR");
        body.put("sec", new BigDecimal("37.5"));
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }
}
