package io.tally.engine.geo;

import io.tally.codec.json.Json;
import io.tally.engine.identity.AddressRanges;
import io.tally.matcher.GoalJson;
import io.tally.testing.MmdbWriter;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Countries over the real server: clients behind a trusted proxy (X-Forwarded-For) in two countries, over IPv4 and
 * IPv6, one not in the database; the journal keeps the country, never the address; the report; no database; a
 * reload through the admin API, a damaged file refused with the old one kept.
 */
class CountriesHttpTest
{
    private static final String SIGNUP = "{\"name\": \"Signup\", \"type\": \"custom\", " +
        "\"conditions\": [{\"field\": \"event\", \"op\": \"equals\", \"value\": \"Signup\"}]}";
    private static final String PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/\"}";
    private static final String CONVERSION = "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\"}";

    @TempDir
    Path dir;

    private Path database() throws IOException
    {
        final Path file = dir.resolve("countries.mmdb");
        new MmdbWriter("GeoLite2-Country").buildEpoch(1_764_547_200L)
            .network("203.0.113.0/24", MmdbWriter.country("DE"))
            .network("198.51.100.0/24", MmdbWriter.country("FR"))
            .network("2001:db8::/32", MmdbWriter.country("DE"))
            .network("2001:db9::/32", MmdbWriter.country("FR"))
            .write(file);
        Files.createDirectories(dir.resolve("data"));
        return file;
    }

    private TestEngine start(final Path database) throws Exception
    {
        return TestEngine.start(dir.resolve("data"), b -> b.trustedProxies(AddressRanges.parse(List.of("127.0.0.1")))
            .geoIpDatabase(database).goals(Map.of("shop.example", List.of(GoalJson.read(Json.parse(SIGNUP))))));
    }

    private static void send(final RawHttp http, final String body, final String client) throws IOException
    {
        assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", body,
            "X-Forwarded-For: 192.0.2.200, " + client, "User-Agent: Mozilla/5.0 (test)")).status(), client);
    }

    @Test
    void eachClientsCountryIsJournaledAndReportedExactly() throws Exception
    {
        try (TestEngine engine = start(database()))
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                send(http, PAGEVIEW, "203.0.113.5");
                send(http, PAGEVIEW, "203.0.113.5");
                send(http, CONVERSION, "203.0.113.5");
                send(http, PAGEVIEW, "2001:db8::7");
                send(http, PAGEVIEW, "198.51.100.9");
                send(http, PAGEVIEW, "[2001:db9:1::2]");
                send(http, CONVERSION, "2001:db9:1::2");
                send(http, PAGEVIEW, "192.0.2.55");
                send(http, PAGEVIEW, "2001:db7::1");
            }
            final List<Map<String, Object>> records = engine.dump();
            assertEquals(List.of("DE", "DE", "DE", "DE", "FR", "FR", "FR"),
                records.stream().limit(7).map(r -> r.get("country")).toList());
            assertNull(records.get(7).get("country"), "an address not in the database: no country");
            assertNull(records.get(8).get("country"));
            final String journal = String.join("\n", records.stream().map(Object::toString).toList());
            assertFalse(journal.contains("203.0.113") || journal.contains("2001:db8") || journal.contains("198.51.100"),
                "no address is kept: " + journal);

            final Map<String, Object> report = engine.stats("shop.example", "countries?period=today");
            assertEquals(Map.of("loaded", true, "type", "GeoLite2-Country", "build_date", "2025-12-01T00:00:00Z"),
                report.get("geoip"));
            assertEquals(List.of(
                row("DE", 2, 3, 1, 1, "50.00"),
                row("FR", 2, 2, 1, 1, "50.00")), ((List<?>)report.get("countries")).stream().map(CountriesHttpTest::asLongs).toList());
            assertEquals(Map.of("visitors", 2L, "pageviews", 2L, "conversions", 0L, "converting_visitors", 0L,
                "conversion_rate", "0.00"), asLongs(report.get("unknown")));

            final Map<String, Object> geoip = cast(engine.health().get("geoip"));
            assertEquals(true, geoip.get("loaded"));
            assertEquals(dir.resolve("countries.mmdb").toString(), geoip.get("path"));
            assertEquals("GeoLite2-Country", geoip.get("type"));
            assertEquals("2025-12-01T00:00:00Z", geoip.get("build_date"));
            assertEquals(9L, ((Number)geoip.get("lookups")).longValue());
            assertEquals(2L, ((Number)geoip.get("misses")).longValue());
            final String metrics = engine.call("GET", "/metrics", null, null).body();
            assertTrue(metrics.contains("tally_geoip_lookups_total 9.0"), metrics);
            assertTrue(metrics.contains("tally_geoip_misses_total 2.0"), metrics);
            assertTrue(metrics.contains("tally_geoip_database_info{build_date=\"2025-12-01T00:00:00Z\""), metrics);
        }
    }

    @Test
    void aTrustedEventIsLocatedByItsIpAndElseByItsSender() throws Exception
    {
        try (TestEngine engine = start(database()))
        {
            final String token = engine.siteToken("shop.example", engine.engine().adminToken().value());
            try (RawHttp http = new RawHttp(engine.port()))
            {
                final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/v1/events", "application/x-ndjson",
                    "{\"t\":\"p\",\"u\":\"https://shop.example/\",\"ip\":\"198.51.100.3\"}\n" +
                        "{\"t\":\"p\",\"u\":\"https://shop.example/\",\"ip\":\"2001:db8::9\"}\n" +
                        "{\"t\":\"p\",\"u\":\"https://shop.example/\"}\n",
                    "Authorization: Bearer " + token, "X-Forwarded-For: 203.0.113.77"));
                assertEquals(200, answer.status(), answer.body());
            }
            assertEquals(List.of("FR", "DE", "DE"), engine.dump().stream().map(r -> r.get("country")).toList(),
                "the event's own ip, else the sender's address through the trusted proxy");
        }
    }

    @Test
    void withoutADatabaseTheReportSaysSoAndEveryVisitorIsUnknown() throws Exception
    {
        try (TestEngine engine = start(null))
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                send(http, PAGEVIEW, "203.0.113.5");
            }
            final Map<String, Object> report = engine.stats("shop.example", "countries?period=today");
            final Map<String, Object> geoip = cast(report.get("geoip"));
            assertEquals(false, geoip.get("loaded"));
            assertTrue(String.valueOf(geoip.get("detail")).contains("--geoip-db FILE"), geoip.toString());
            assertEquals(List.of(), report.get("countries"));
            assertEquals(1L, ((Number)cast(report.get("unknown")).get("visitors")).longValue());
            assertEquals(false, cast(engine.health().get("geoip")).get("loaded"));
            final RawHttp.Answer reload = engine.call("POST", "/api/v1/geoip/reload", null,
                engine.engine().adminToken().value());
            assertEquals(409, reload.status());
            assertTrue(reload.body().contains("\"no_geoip_db\""), reload.body());
        }
    }

    @Test
    void theAdminApiReloadsTheDatabaseAndADamagedFileKeepsTheOldOne() throws Exception
    {
        final Path file = database();
        try (TestEngine engine = start(file))
        {
            final String token = engine.engine().adminToken().value();
            try (RawHttp http = new RawHttp(engine.port()))
            {
                send(http, PAGEVIEW, "203.0.113.5");
                new MmdbWriter("DBIP-Country-Lite").network("203.0.113.0/24", MmdbWriter.country("AT")).write(file);
                assertEquals(401, engine.call("POST", "/api/v1/geoip/reload", null, null).status());
                final RawHttp.Answer reloaded = engine.call("POST", "/api/v1/geoip/reload", null, token);
                assertEquals(200, reloaded.status(), reloaded.body());
                assertEquals("DBIP-Country-Lite", cast(Json.parseObject(reloaded.body()).get("geoip")).get("type"));
                send(http, PAGEVIEW, "203.0.113.5");

                Files.write(file, new byte[] {1, 2, 3});
                final RawHttp.Answer refused = engine.call("POST", "/api/v1/geoip/reload", null, token);
                assertEquals(422, refused.status());
                assertTrue(refused.body().contains("\"invalid_geoip_db\"") && refused.body().contains("stays in use"),
                    refused.body());
                send(http, PAGEVIEW, "203.0.113.5");
                final Map<String, Object> status = Json.parseObject(engine.call("GET", "/api/v1/geoip", null, token).body());
                assertEquals("DBIP-Country-Lite", status.get("type"));
                assertTrue(String.valueOf(status.get("last_reload_error")).contains("not a readable MaxMind DB file"));
            }
            assertEquals(List.of("DE", "AT", "AT"), engine.dump().stream().map(r -> r.get("country")).toList());
        }
    }

    @Test
    void aDamagedDatabaseAtStartStopsTheStartWithItsNameAndWhy() throws Exception
    {
        final Path file = dir.resolve("broken.mmdb");
        Files.write(file, "not a database".getBytes());
        Files.createDirectories(dir.resolve("data"));
        final GeoIpException refused = assertThrows(GeoIpException.class, () -> start(file).close());
        assertTrue(refused.getMessage().startsWith(file + ": not a readable MaxMind DB file"), refused.getMessage());
        assertFalse(Files.exists(dir.resolve("data").resolve("journal")), "nothing was started");
    }

    private static Map<String, Object> row(final String country, final long visitors, final long pageviews,
        final long conversions, final long converting, final String rate)
    {
        return Map.of("country", country, "visitors", visitors, "pageviews", pageviews, "conversions", conversions,
            "converting_visitors", converting, "conversion_rate", rate);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(final Object value)
    {
        return (Map<String, Object>)value;
    }

    private static Map<String, Object> asLongs(final Object value)
    {
        final Map<String, Object> row = new java.util.HashMap<>(cast(value));
        row.replaceAll((k, v) -> k.equals("conversion_rate") ? new java.math.BigDecimal(String.valueOf(v)).setScale(2).toPlainString() :
            v instanceof Number ? (Object)((Number)v).longValue() : String.valueOf(v));
        return row;
    }
}
