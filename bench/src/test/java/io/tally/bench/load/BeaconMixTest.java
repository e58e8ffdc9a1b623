package io.tally.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BeaconMixTest
{
    private static final String SITE = "shop.example";

    @Test
    void theSharesAddUpToTheWholeTraffic()
    {
        int total = 0;
        for (final BeaconMix.Kind kind : BeaconMix.Kind.values())
        {
            total += kind.perMille();
        }
        assertEquals(1000, total);
        assertEquals(30, BeaconMix.Kind.INVALID.perMille());
    }

    @Test
    void aPoolHoldsEachKindInItsShare()
    {
        for (final int size : new int[]{1, 7, 999, 10_000, 8192})
        {
            final Map<BeaconMix.Kind, Integer> counts = count(BeaconMix.pool(SITE, size, 1));
            assertEquals(size, counts.values().stream().mapToInt(Integer::intValue).sum());
            for (final BeaconMix.Kind kind : BeaconMix.Kind.values())
            {
                final double expected = kind.perMille() * size / 1000.0;
                assertTrue(Math.abs(counts.getOrDefault(kind, 0) - expected) <= 1.0,
                    kind + " in a pool of " + size + ": " + counts.getOrDefault(kind, 0) + ", expected " + expected);
            }
        }
    }

    /** The real decoder agrees with the kinds: valid bodies are accepted, invalid ones are not (or name no site). */
    @Test
    void validBodiesDecodeAndInvalidOnesFail()
    {
        final BeaconDecoder decoder = new BeaconDecoder();
        final Beacon beacon = new Beacon();
        int unknownSite = 0;
        for (final BeaconMix.Body body : BeaconMix.pool(SITE, 10_000, 7))
        {
            final ByteBuf bytes = Unpooled.wrappedBuffer(body.json().getBytes(StandardCharsets.UTF_8));
            final Outcome outcome = decoder.decode(bytes, beacon);
            if (body.kind().valid())
            {
                assertEquals(Outcome.ACCEPTED, outcome, body.json());
                assertTrue(beacon.url().toString().startsWith("https://" + SITE + "/"), body.json());
            }
            else if (outcome == Outcome.ACCEPTED)
            {
                assertTrue(body.json().contains("unknown-site.invalid"), body.json());
                unknownSite++;
            }
        }
        assertEquals(50, unknownSite);
    }

    @Test
    void customEventsCarryZeroToThirtyProperties()
    {
        final BeaconDecoder decoder = new BeaconDecoder();
        final Beacon beacon = new Beacon();
        final boolean[] seen = new boolean[BeaconMix.MAX_PROPERTIES + 1];
        for (final BeaconMix.Body body : BeaconMix.pool(SITE, 10_000, 3))
        {
            if (body.kind() == BeaconMix.Kind.CUSTOM)
            {
                decoder.decode(Unpooled.wrappedBuffer(body.json().getBytes(StandardCharsets.UTF_8)), beacon);
                seen[beacon.propertyCount()] = true;
            }
        }
        for (int count = 0; count <= BeaconMix.MAX_PROPERTIES; count++)
        {
            assertTrue(seen[count], "no custom event with " + count + " properties");
        }
    }

    @Test
    void theSeedDecidesThePool()
    {
        assertEquals(BeaconMix.pool(SITE, 500, 42), BeaconMix.pool(SITE, 500, 42));
        assertNotEquals(BeaconMix.pool(SITE, 500, 42), BeaconMix.pool(SITE, 500, 43));
    }

    private static Map<BeaconMix.Kind, Integer> count(final List<BeaconMix.Body> pool)
    {
        final Map<BeaconMix.Kind, Integer> counts = new EnumMap<>(BeaconMix.Kind.class);
        pool.forEach(body -> counts.merge(body.kind(), 1, Integer::sum));
        return counts;
    }
}
