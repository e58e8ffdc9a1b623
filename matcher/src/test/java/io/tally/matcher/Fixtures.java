package io.tally.matcher;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Outcome;
import io.tally.codec.TextView;
import io.tally.codec.UrlParts;
import io.tally.codec.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Helpers shared by the matcher tests: goals built through {@link GoalJson} from their JSON shape, and events
 * made the way the engine makes them, by decoding a beacon body with {@link BeaconDecoder} from a Netty buffer
 * and filling {@link MatchInput} with what {@link UrlParts} derives. Every buffer is released.
 */
final class Fixtures
{
    private Fixtures()
    {
    }

    /** JSON written with single quotes for readability: every {@code '} becomes {@code "}. */
    static String json(final String singleQuoted)
    {
        return singleQuoted.replace('\'', '"');
    }

    /** A goal read from its JSON shape (single quotes allowed). */
    static Goal goal(final String singleQuoted)
    {
        return GoalJson.read(Json.parse(json(singleQuoted)));
    }

    /** An event goal of {@code type} with {@code match} ({@code all} or {@code any}) over the conditions. */
    static Goal goal(final String name, final String type, final String match, final String... conditions)
    {
        return goal("{'name':'" + name + "','kind':'event','type':'" + type + "','match':'" + match +
            "','conditions':[" + String.join(",", conditions) + "]}");
    }

    /** A condition in JSON; {@code value} null for the emptiness tests. */
    static String cond(final String field, final String op, final String value)
    {
        return "{'field':'" + field + "','op':'" + op + "'" + (value == null ? "" : ",'value':'" + value + "'") + "}";
    }

    /** A prop_value condition on property {@code key}. */
    static String prop(final String key, final String op, final String value)
    {
        return "{'field':'prop_value','key':'" + key + "','op':'" + op + "'" +
            (value == null ? "" : ",'value':'" + value + "'") + "}";
    }

    static GoalMatcher matcher(final Goal... goals)
    {
        return new GoalMatcher(Arrays.asList(goals));
    }

    /** How a beacon body is handed to the decoder. */
    enum Buffers
    {
        UNPOOLED_HEAP,
        UNPOOLED_DIRECT,
        POOLED_DIRECT,
        POOLED_HEAP,
        /** Pooled direct, with bytes before the reader index and after the writer index. */
        OFFSET,
        /** A composite of two pooled pieces split in the middle of the body. */
        COMPOSITE;

        ByteBuf wrap(final byte[] body)
        {
            switch (this)
            {
                case UNPOOLED_HEAP:
                    return Unpooled.wrappedBuffer(body);
                case UNPOOLED_DIRECT:
                    return Unpooled.directBuffer(body.length).writeBytes(body);
                case POOLED_DIRECT:
                    return PooledByteBufAllocator.DEFAULT.directBuffer(body.length).writeBytes(body);
                case POOLED_HEAP:
                    return PooledByteBufAllocator.DEFAULT.heapBuffer(body.length).writeBytes(body);
                case OFFSET:
                {
                    final ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(body.length + 40);
                    buffer.writeBytes("{\"t\":\"p\",\"n\":\"garbage\"} ".getBytes(StandardCharsets.US_ASCII));
                    final int start = buffer.writerIndex();
                    buffer.writeBytes(body).writeBytes("{\"t\"".getBytes(StandardCharsets.US_ASCII));
                    return buffer.setIndex(start, start + body.length);
                }
                case COMPOSITE:
                {
                    final CompositeByteBuf composite = PooledByteBufAllocator.DEFAULT.compositeBuffer();
                    final int half = body.length / 2;
                    composite.addComponent(true, PooledByteBufAllocator.DEFAULT.directBuffer(half).writeBytes(body, 0, half));
                    composite.addComponent(true,
                        PooledByteBufAllocator.DEFAULT.heapBuffer(body.length - half).writeBytes(body, half, body.length - half));
                    return composite;
                }
                default:
                    throw new IllegalArgumentException(name());
            }
        }
    }

    /**
     * Decodes beacons and matches them, as the engine does: {@link MatchInput#wrap}, then the page path, the
     * link's host (only when there is a link) and its ASIN. One per test; not thread-safe.
     */
    static final class Events
    {
        private final BeaconDecoder decoder = new BeaconDecoder();
        private final Beacon beacon = new Beacon();
        private final MatchInput input = new MatchInput();
        private final MatchState state = new MatchState();
        private final TextView scratchHost = new TextView();

        /** The index of the goal {@code matcher} picks for the beacon (single quotes allowed), from a pooled direct buffer. */
        int match(final GoalMatcher matcher, final String singleQuotedBeacon)
        {
            return match(matcher, json(singleQuotedBeacon).getBytes(StandardCharsets.UTF_8), Buffers.POOLED_DIRECT);
        }

        /** The index of the goal {@code matcher} picks for the beacon body, given in a buffer of kind {@code buffers}. */
        int match(final GoalMatcher matcher, final byte[] body, final Buffers buffers)
        {
            final ByteBuf buffer = buffers.wrap(body);
            try
            {
                final MatchInput decoded = decode(buffer);
                return matcher.match(decoded, state);
            }
            finally
            {
                buffer.release();
            }
        }

        /** Decodes {@code body} and fills the input; valid until the next call or until {@code body} is released. */
        MatchInput decode(final ByteBuf body)
        {
            final Outcome outcome = decoder.decode(body, beacon);
            if (outcome != Outcome.ACCEPTED)
            {
                throw new IllegalArgumentException("beacon not accepted: " + outcome + ", " + decoder.errorDetail() +
                    " at " + decoder.errorOffset() + ": " + body.toString(StandardCharsets.UTF_8));
            }
            return fill(beacon, input, scratchHost);
        }

        MatchState state()
        {
            return state;
        }
    }

    /** Fills {@code input} from a decoded beacon the way the engine does. */
    static MatchInput fill(final Beacon beacon, final MatchInput input, final TextView scratchHost)
    {
        input.wrap(beacon);
        UrlParts.path(beacon.url(), input.path());
        if (beacon.target().isPresent())
        {
            UrlParts.host(beacon.target(), input.targetHost());
        }
        UrlParts.asin(beacon.target(), input.asin(), scratchHost);
        return input;
    }
}
