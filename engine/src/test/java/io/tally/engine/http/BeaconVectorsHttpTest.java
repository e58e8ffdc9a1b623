package io.tally.engine.http;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example of the beacon vectors (a copy of the spec's {@code vectors/beacons.jsonl}) against the real
 * server over a real socket: the answer's status, and for a 202 the fields the journal dump must show.
 */
class BeaconVectorsHttpTest
{
    @TempDir
    static Path dataDir;
    private static TestEngine engine;

    @BeforeAll
    static void start()
    {
        engine = TestEngine.start(dataDir);
    }

    @AfterAll
    static void stop()
    {
        engine.close();
    }

    @TestFactory
    Stream<DynamicTest> everyVectorOverHttp() throws IOException
    {
        return vectors().stream().map(vector -> DynamicTest.dynamicTest((String)vector.get("name"), () -> check(vector)));
    }

    @SuppressWarnings("unchecked")
    private static void check(final Map<String, Object> vector) throws IOException
    {
        final int before = engine.dump().size();
        final RawHttp.Answer answer;
        try (RawHttp http = new RawHttp(engine.port()))
        {
            answer = http.exchange(RawHttp.post("/api/event", (String)vector.get("contentType"), (String)vector.get("body"),
                "Origin: https://shop.example", "User-Agent: vectors"));
        }
        final int status = ((BigDecimal)vector.get("status")).intValue();
        assertEquals(status, answer.status(), answer.body());
        assertEquals("https://shop.example", answer.header("access-control-allow-origin"));
        final List<Map<String, Object>> records = engine.dump();
        if (status != 202)
        {
            assertEquals(before, records.size(), "a refused beacon must not be journaled");
            final Map<String, Object> error = Json.parseObject(answer.body());
            assertTrue(((String)error.get("error")).matches("[a-z_]+"), answer.body());
            assertNotNull(error.get("detail"));
            return;
        }
        assertEquals(before + 1, records.size(), "exactly one record per accepted beacon");
        final Map<String, Object> record = records.get(records.size() - 1);
        final Map<String, Object> expect = (Map<String, Object>)vector.get("expect");
        for (final Map.Entry<String, Object> field : expect.entrySet())
        {
            assertEquals(field.getValue(), record.get(field.getKey()), "field '" + field.getKey() + "' of " + record);
            if (field.getValue() instanceof Map)
            {
                assertEquals(new ArrayList<>(((Map<String, Object>)field.getValue()).keySet()),
                    new ArrayList<>(((Map<String, Object>)record.get(field.getKey())).keySet()), "order of " + field.getKey());
            }
        }
        assertEquals("shop.example", record.get("site"));
        assertTrue(((String)record.get("visitor")).matches("[0-9]+"));
        assertTrue(((String)record.get("session")).matches("[0-9]+"));
    }

    static List<Map<String, Object>> vectors() throws IOException
    {
        try (InputStream in = BeaconVectorsHttpTest.class.getResourceAsStream("/vectors/beacons.jsonl"))
        {
            assertNotNull(in, "vectors/beacons.jsonl on the test classpath");
            final List<Map<String, Object>> vectors = new ArrayList<>();
            for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
            {
                if (!line.isBlank())
                {
                    vectors.add(Json.parseObject(line));
                }
            }
            assertTrue(vectors.size() >= 28);
            return vectors;
        }
    }
}
