package io.tally.engine.geo;

import io.tally.engine.identity.IpAddress;
import io.tally.testing.MmdbWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real MaxMind reader over databases written in its format: lookups, the cache in front, reloads. */
class GeoIpTest
{
    @TempDir
    Path dir;

    private Path database(final String name, final MmdbWriter writer)
    {
        final Path file = dir.resolve(name);
        writer.write(file);
        return file;
    }

    private static MmdbWriter twoCountries()
    {
        return new MmdbWriter("GeoLite2-Country")
            .network("203.0.113.0/24", MmdbWriter.country("DE"))
            .network("198.51.100.0/25", MmdbWriter.country("fr"))
            .network("2001:db8::/32", MmdbWriter.country("JP"))
            .network("192.0.2.0/24", Map.of("country_code", "BR"))
            .network("100.64.0.0/10", Map.of("continent", Map.of("code", "EU")));
    }

    private static String code(final int country)
    {
        return country == GeoIpDatabase.UNKNOWN ? null : "" + (char)(country >>> 8) + (char)(country & 0xFF);
    }

    private static IpAddress ip(final String text)
    {
        final IpAddress address = new IpAddress();
        assertTrue(address.parse(text), text);
        return address;
    }

    @Test
    void findsTheCountryOfIpv4AndIpv6AddressesInEitherRecordLayout()
    {
        final GeoIp geoIp = GeoIp.open(database("a.mmdb", twoCountries().buildEpoch(1_760_000_000L)));
        final CountryLookup lookup = new CountryLookup(geoIp);
        assertEquals("DE", code(lookup.country(ip("203.0.113.9"))));
        assertEquals("FR", code(lookup.country(ip("198.51.100.127"))), "a lower-case code is upper-cased");
        assertNull(code(lookup.country(ip("198.51.100.128"))), "just past the /25");
        assertEquals("JP", code(lookup.country(ip("2001:db8:1::7"))));
        assertEquals("BR", code(lookup.country(ip("192.0.2.1"))), "a flat country_code record");
        assertNull(code(lookup.country(ip("100.64.1.1"))), "a record without a country");
        assertNull(code(lookup.country(ip("8.8.8.8"))), "an address not in the database");
        assertNull(code(lookup.country(ip("2001:4860::1"))));
        assertEquals("DE", code(lookup.country(ip("::ffff:203.0.113.200"))), "an IPv4-mapped IPv6 address is its IPv4");
        assertEquals(9, geoIp.lookups());
        assertEquals(4, geoIp.misses());
        assertEquals("GeoLite2-Country", geoIp.database().type());
        assertEquals(Instant.ofEpochSecond(1_760_000_000L), geoIp.database().buildTime());
    }

    @Test
    void aRepeatedAddressIsAnsweredByTheCacheWithoutReadingTheDatabase()
    {
        final GeoIp geoIp = GeoIp.open(database("a.mmdb", twoCountries()));
        final CountryLookup lookup = new CountryLookup(geoIp, 64);
        for (int i = 0; i < 10; i++)
        {
            assertEquals("DE", code(lookup.country(ip("203.0.113.9"))));
            assertNull(code(lookup.country(ip("8.8.4.4"))), "a miss is remembered too");
        }
        assertEquals(2, geoIp.databaseReads());
        assertEquals(20, geoIp.lookups());
        assertEquals(10, geoIp.misses());
    }

    @Test
    void theCacheHoldsAtMostItsSlotsAndAnswersRightPastThem()
    {
        final GeoIp geoIp = GeoIp.open(database("a.mmdb", twoCountries()));
        final int slots = 256;
        final CountryLookup lookup = new CountryLookup(geoIp, slots);
        final IpAddress address = new IpAddress();
        // 2 x 256 distinct addresses of the /24 and as many outside it: every answer right, whichever slots they share
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < 2 * slots; i++)
            {
                address.set(0, 0xFFFF_0000_0000L | 0xCB00_7100L | (i & 0xFF)); // 203.0.113.x
                if (i >= slots)
                {
                    address.set(0, 0xFFFF_0000_0000L | 0x0A00_0000L | i); // 10.0.x.x: not in the database
                }
                assertEquals(i < slots ? "DE" : null, code(lookup.country(address)), "address " + address);
            }
        }
        assertEquals(slots, lookup.slots());
        final long reads = geoIp.databaseReads();
        assertTrue(reads > 2 * slots, "past the cap, addresses that lost their slot are read again: " + reads);
        assertTrue(reads <= 4L * slots, "never more than once per lookup: " + reads);
        assertThrows(IllegalArgumentException.class, () -> new CountryLookup(geoIp, 100), "a power of two");
    }

    @Test
    void atTheCapEveryAddressStaysCachedAndPastItTheOldestGoes()
    {
        final GeoIp geoIp = GeoIp.open(database("a.mmdb", twoCountries()));
        final CountryLookup lookup = new CountryLookup(geoIp, CountryLookup.WAYS); // one set: every address shares it
        for (int round = 0; round < 3; round++)
        {
            for (int i = 1; i <= CountryLookup.WAYS; i++)
            {
                assertEquals("DE", code(lookup.country(ip("203.0.113." + i))));
            }
        }
        assertEquals(CountryLookup.WAYS, geoIp.databaseReads(), "at the cap, each address was read once");
        assertEquals("FR", code(lookup.country(ip("198.51.100.1"))), "one past the cap");
        assertEquals(CountryLookup.WAYS + 1, geoIp.databaseReads());
        for (int i = 2; i <= CountryLookup.WAYS; i++)
        {
            lookup.country(ip("203.0.113." + i));
        }
        lookup.country(ip("198.51.100.1"));
        assertEquals(CountryLookup.WAYS + 1, geoIp.databaseReads(), "the newest and the three after the oldest stay");
        assertEquals("DE", code(lookup.country(ip("203.0.113.1"))), "the oldest was the one to go: read again");
        assertEquals(CountryLookup.WAYS + 2, geoIp.databaseReads());
        assertThrows(IllegalArgumentException.class, () -> new CountryLookup(geoIp, 2), "fewer slots than a set");
    }

    @Test
    void withoutADatabaseEveryCountryIsUnknownAndNothingIsCounted()
    {
        final GeoIp geoIp = GeoIp.none();
        assertNull(code(new CountryLookup(geoIp).country(ip("203.0.113.9"))));
        assertEquals(0, geoIp.lookups());
        assertEquals(Map.of("loaded", false), Map.of("loaded", geoIp.status().get("loaded")));
        assertFalse(geoIp.reload().loaded());
    }

    @Test
    void aDamagedFileAtStartIsRefusedWithItsNameAndWhy() throws IOException
    {
        final Path garbage = dir.resolve("garbage.mmdb");
        Files.write(garbage, "this is not a database".getBytes());
        final GeoIpException notOne = assertThrows(GeoIpException.class, () -> GeoIp.open(garbage));
        assertTrue(notOne.getMessage().startsWith(garbage + ": not a readable MaxMind DB file"), notOne.getMessage());

        final byte[] whole = twoCountries().bytes();
        final Path cut = dir.resolve("cut.mmdb");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        assertTrue(assertThrows(GeoIpException.class, () -> GeoIp.open(cut)).getMessage().contains("not a readable"));

        final Path missing = dir.resolve("missing.mmdb");
        assertTrue(assertThrows(GeoIpException.class, () -> GeoIp.open(missing)).getMessage().startsWith(missing.toString()));

        final byte[] scrambled = whole.clone();
        Arrays.fill(scrambled, 0, 300, (byte)0xFF); // the search tree points past the end
        final Path tree = dir.resolve("tree.mmdb");
        Files.write(tree, scrambled);
        assertTrue(assertThrows(GeoIpException.class, () -> GeoIp.open(tree)).getMessage().contains("damaged"));
    }

    @Test
    void aReloadSwapsTheDatabaseAndADamagedOneKeepsTheOld() throws IOException
    {
        final Path file = database("live.mmdb", twoCountries());
        final GeoIp geoIp = GeoIp.open(file);
        final CountryLookup lookup = new CountryLookup(geoIp);
        assertEquals("DE", code(lookup.country(ip("203.0.113.9"))));

        new MmdbWriter("DBIP-Country-Lite").network("203.0.113.0/24", MmdbWriter.country("AT")).write(file);
        assertTrue(geoIp.reload().loaded());
        assertEquals("AT", code(lookup.country(ip("203.0.113.9"))), "the cached answer of the old database is not used");
        assertEquals("DBIP-Country-Lite", geoIp.database().type());
        final GeoIpDatabase good = geoIp.database();

        Files.write(file, "garbage".getBytes());
        final GeoIp.Reload refused = geoIp.reload();
        assertFalse(refused.loaded());
        assertTrue(refused.error().contains("not a readable MaxMind DB file"), refused.error());
        assertSame(good, geoIp.database(), "the database in use stays");
        assertEquals("AT", code(lookup.country(ip("203.0.113.9"))));
        assertEquals(1L, geoIp.reloads());
        assertEquals(1L, geoIp.failedReloads());
        assertEquals(refused.error(), geoIp.status().get("last_reload_error"));
    }
}
