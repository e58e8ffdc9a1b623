package io.tally.engine.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.EventRecord;
import io.tally.codec.Outcome;
import io.tally.codec.json.Json;
import io.tally.engine.Engine;
import io.tally.engine.EngineConfig;
import io.tally.engine.identity.IpAddress;
import io.tally.engine.site.Site;
import io.tally.matcher.GoalJson;
import io.tally.store.JournalReader;
import io.tally.store.state.FreeSpace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-event pipeline's one result and its reservation: an event refused at the last stage (the append)
 * gives back everything it claimed on the way (its quota slot, its idempotency key, its visitor's first
 * conversion), so sending it again once the engine can take it is stored once, as the first conversion.
 */
class EventIngestorTest
{
    private static final String SITE = "shop.example";
    private static final String SIGNUP = "{\"name\":\"Signup\",\"kind\":\"micro\",\"weight\":1,\"type\":\"custom\"," +
        "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Signup\"}]}";
    private static final String ORDER_1 = "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/\",\"id\":\"order-1\"," +
        "\"vid\":\"user-1\"}";
    private static final String ORDER_2 = ORDER_1.replace("order-1", "order-2");

    @TempDir
    java.nio.file.Path dir;
    private Engine engine;
    private final IpAddress client = new IpAddress();

    @BeforeEach
    void start()
    {
        engine = new Engine(EngineConfig.builder(dir).ingestRateLimit(0).sites(List.of(new Site(SITE)))
            .quotas(Map.of(SITE, 1L)).goals(Map.of(SITE, List.of(GoalJson.read(Json.parse(SIGNUP))))).build());
        client.parse("203.0.113.9");
    }

    @AfterEach
    void stop()
    {
        engine.close();
    }

    @Test
    void anEventRefusedAtTheAppendGivesBackItsQuotaItsKeyAndItsFirstConversion()
    {
        final IngestResult full = ingestorOnAFullDisk().ingestTrusted(body(ORDER_1), 0, ORDER_1.length(), SITE, client, "ua");
        assertEquals(Outcome.DISK_FULL, full.outcome(), full.toString());
        assertEquals(IngestResult.DISK_FULL_RETRY_SECONDS, full.retryAfterSeconds());

        final EventIngestor ingestor = engine.ingestor();
        final IngestResult stored = ingestor.ingestTrusted(body(ORDER_1), 0, ORDER_1.length(), SITE, client, "ua");
        assertEquals(Outcome.ACCEPTED, stored.outcome(), "the quota slot and the key were given back: " + stored);
        assertNull(stored.detail());
        assertEquals(Outcome.DUPLICATE, ingestor.ingestTrusted(body(ORDER_1), 0, ORDER_1.length(), SITE, client, "ua").outcome());
        final IngestResult over = ingestor.ingestTrusted(body(ORDER_2), 0, ORDER_2.length(), SITE, client, "ua");
        assertEquals(Outcome.QUOTA_EXCEEDED, over.outcome(), over.toString());
        assertTrue(over.retryAfterSeconds() > 0, "until the month ends: " + over.retryAfterSeconds());

        assertEquals(List.of(EventRecord.FLAG_FIRST_CONVERSION), firstConversionFlags(), "one record, the first conversion");
    }

    @Test
    void anEventOverItsQuotaGivesItsKeyBack()
    {
        final EventIngestor ingestor = engine.ingestor();
        assertEquals(Outcome.ACCEPTED, ingestor.ingestTrusted(body(ORDER_1), 0, ORDER_1.length(), SITE, client, "ua").outcome());
        assertEquals(Outcome.QUOTA_EXCEEDED, ingestor.ingestTrusted(body(ORDER_2), 0, ORDER_2.length(), SITE, client, "ua").outcome());
        engine.quotas().apply(Map.of(SITE, 2L));
        assertEquals(Outcome.ACCEPTED, ingestor.ingestTrusted(body(ORDER_2), 0, ORDER_2.length(), SITE, client, "ua").outcome(),
            "order-2's key was not kept when the quota refused it");
    }

    @Test
    void droppedPropertiesAreSaidInTheResultAndCounted()
    {
        final StringBuilder keys = new StringBuilder();
        final StringBuilder values = new StringBuilder();
        for (int i = 0; i < 32; i++)
        {
            keys.append(i == 0 ? "" : ",").append("\"k").append(i).append('"');
            values.append(i == 0 ? "" : ",").append("\"v\"");
        }
        final String beacon = "{\"t\":\"p\",\"u\":\"https://shop.example/\",\"mk\":[" + keys + "],\"mv\":[" + values + "]}";
        final IngestResult result = engine.ingestor().ingest(body(beacon), client, "ua");
        assertEquals(Outcome.ACCEPTED, result.outcome(), result.toString());
        assertEquals(2, result.droppedProperties());
        assertEquals(2, engine.counters().droppedProperties());
    }

    /** An ingestor sharing the engine's state whose disk is always below its reserve. */
    private EventIngestor ingestorOnAFullDisk()
    {
        final IngestServices shared = engine.ingestServices();
        final IngestServices services = new IngestServices(shared.sites(), shared.goals(), shared.salt(), shared.sessions(),
            shared.conversions(), shared.idempotencyKeys(), shared.quotas(), shared.counters(),
            new FreeSpace(dir, Long.MAX_VALUE / 2), shared.clock(), shared.maxBody(), shared.screening(), shared.geoIp());
        return new EventIngestor(services, engine.journal().newAppender());
    }

    private List<Integer> firstConversionFlags()
    {
        final List<Integer> flags = new ArrayList<>();
        try (JournalReader reader = engine.journal().newReader())
        {
            reader.read((index, record) -> flags.add(record.hasFlag(EventRecord.FLAG_FIRST_CONVERSION) ?
                EventRecord.FLAG_FIRST_CONVERSION : 0), 100);
        }
        return flags;
    }

    private static ByteBuf body(final String json)
    {
        return Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8));
    }
}
