package io.tally.ops;

import io.tally.codec.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config file is read strictly: typos, wrong types and wrong shapes stop {@code tally serve} with the key's path. */
class ConfigSchemaTest
{
    @TempDir
    Path dir;

    /** Runs {@code tally serve --config FILE} on {@code json}; returns what it printed to stderr (it must exit 2). */
    private String serveWith(final String json) throws IOException
    {
        final Path config = Files.writeString(dir.resolve("config.json"), json);
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Main.run(List.of("serve", "--config", config.toString(), "--data-dir", dir.resolve("data").toString()),
            Map.of(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        final String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, status, text);
        assertTrue(Files.notExists(dir.resolve("data")), "nothing was started");
        return text.replace(config.toString(), "F");
    }

    @Test
    void aMistypedSiteKeyIsRefusedWithTheKeyMeant() throws IOException
    {
        assertEquals("tally serve: config file F: sites[0].timezone: unknown key; did you mean time_zone?\n",
            serveWith("{\"sites\": [{\"domain\": \"shop.example\", \"timezone\": \"Europe/Berlin\"}]}"));
    }

    @Test
    void aMistypedTopLevelKeyIsRefusedWithTheKeyMeant() throws IOException
    {
        assertEquals("tally serve: config file F: ingest_rate_limt: unknown key; did you mean ingest_rate_limit?\n",
            serveWith("{\"ingest_rate_limt\": 5}"));
    }

    @Test
    void sitesGivenAsOneStringIsAWrongShape() throws IOException
    {
        assertEquals("tally serve: config file F: sites: wrong shape: expected a list of sites (domains or objects with a " +
            "\"domain\"), got a string \"shop.example\"; write \"sites\": [\"shop.example\"]\n",
            serveWith("{\"sites\": \"shop.example\"}"));
    }

    @Test
    void anUnknownKeyFarFromAnyIsRefusedWithoutASuggestion() throws IOException
    {
        assertEquals("tally serve: config file F: colour: unknown key\n", serveWith("{\"colour\": \"blue\"}"));
    }

    @Test
    void everyProblemIsListed() throws IOException
    {
        assertEquals("tally serve: config file F has 3 problems:\n" +
            "  prot: unknown key; did you mean port?\n" +
            "  keep_bots: expected true or false, got a string \"yes\"\n" +
            "  sites[1].domain: shop.example is listed twice (first as sites[0])\n",
            serveWith("{\"prot\": 80, \"keep_bots\": \"yes\", \"sites\": [\"shop.example\", {\"domain\": \"Shop.Example\"}]}"));
    }

    @Test
    void everyKeyTheFileMaySetHasAType()
    {
        for (final Option option : WorkerCommand.OPTIONS)
        {
            if (option.configKey() != null)
            {
                assertNotNull(ConfigSchema.kindOf(option), option.configKey() + " has no type in ConfigSchema");
            }
        }
    }

    static Stream<Arguments> everyKey()
    {
        return WorkerCommand.OPTIONS.stream().filter(option -> option.configKey() != null)
            .map(option -> Arguments.of(option.configKey(), ConfigSchema.kindOf(option)));
    }

    /** Each key takes a value of its type and refuses one of another type, naming what it expected. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKey")
    void eachKeyTakesItsTypeOnly(final String key, final ConfigSchema.Kind kind)
    {
        for (final Object good : goodValues(kind))
        {
            assertEquals(List.of(), ConfigSchema.problems(Map.of(key, good)), key + " = " + good);
        }
        for (final Object bad : badValues(kind))
        {
            final List<String> problems = ConfigSchema.problems(Map.of(key, bad));
            assertEquals(1, problems.size(), key + " = " + bad);
            assertTrue(problems.get(0).startsWith(key + ": expected " + kind.expected + ", got "), problems.get(0));
        }
    }

    private static List<Object> goodValues(final ConfigSchema.Kind kind)
    {
        return switch (kind)
        {
            case STRING -> List.of("text");
            case WHOLE_NUMBER -> List.of(new BigDecimal("8"), new BigDecimal("0"));
            case NUMBER -> List.of(new BigDecimal("0.5"), new BigDecimal("20"));
            case BOOLEAN -> List.of(true, false);
            case SIZE -> List.of(new BigDecimal("16384"), "16k");
            case LIST -> List.of(List.of("10.0.0.0/8", "::1/128"), "10.0.0.0/8,::1/128");
        };
    }

    private static List<Object> badValues(final ConfigSchema.Kind kind)
    {
        return switch (kind)
        {
            case STRING -> List.of(new BigDecimal("5"), true, List.of("a"));
            case WHOLE_NUMBER -> List.of("8", new BigDecimal("1.5"), false);
            case NUMBER -> List.of("20", true, Map.of());
            case BOOLEAN -> List.of("true", new BigDecimal("1"));
            case SIZE -> List.of(new BigDecimal("1.5"), true, List.of("16k"));
            case LIST -> List.of(new BigDecimal("10"), List.of("10.0.0.0/8", new BigDecimal("3")), Map.of());
        };
    }

    static Stream<Arguments> badSites()
    {
        return Stream.of(
            Arguments.of("[5]", "sites[0]: wrong shape: expected a domain (\"shop.example\") or an object with a \"domain\", got the number 5"),
            Arguments.of("[{\"aliases\": [\"a.example\"]}]", "sites[0].domain: missing: every site needs its domain"),
            Arguments.of("[{\"domain\": 5}]", "sites[0].domain: expected the site's domain as a string, got the number 5"),
            Arguments.of("[\"a.example\", {\"domain\": \"b.example\", \"aliases\": \"c.example\"}]",
                "sites[1].aliases: wrong shape: expected a list of domains, got a string \"c.example\""),
            Arguments.of("[{\"domain\": \"b.example\", \"aliases\": [\"c.example\", 7]}]",
                "sites[0].aliases[1]: expected a domain as a string, got the number 7"),
            Arguments.of("[{\"domain\": \"b.example\", \"time_zone\": 1}]", "sites[0].time_zone: expected a string, got the number 1"),
            Arguments.of("[{\"domain\": \"b.example\", \"time_zone\": \"Mars/Olympus\"}]",
                "sites[0].time_zone: site b.example: unknown time zone 'Mars/Olympus'"),
            Arguments.of("[{\"domain\": \"b.example\", \"read_token\": true}]",
                "sites[0].read_token: expected a string, got the boolean true"),
            Arguments.of("[{\"domain\": \"b.example\", \"ingest_rate_limit\": \"fast\"}]",
                "sites[0].ingest_rate_limit: expected a number >= 0, got a string \"fast\""),
            Arguments.of("[{\"domain\": \"b.example\", \"ingest_rate_limit\": -1}]",
                "sites[0].ingest_rate_limit: expected a number >= 0, got the number -1"),
            Arguments.of("[{\"domain\": \"b.example\", \"ingest_burst\": 1.5}]",
                "sites[0].ingest_burst: expected a whole number from 0 to 2147483647, got 1.5"),
            Arguments.of("[{\"domain\": \"b.example\", \"ingest_burst\": 2147483648}]",
                "sites[0].ingest_burst: expected a whole number from 0 to 2147483647, got 2147483648"),
            Arguments.of("[{\"domain\": \"b.example\", \"monthly_quota\": \"1m\"}]",
                "sites[0].monthly_quota: expected a number >= 0, got a string \"1m\""),
            Arguments.of("[{\"domain\": \"b.example\", \"goals\": {\"name\": \"x\"}}]",
                "sites[0].goals: wrong shape: expected a list of goals, got an object"),
            Arguments.of("[{\"domain\": \"b.example\", \"goals\": [{\"nmae\": \"Pricing\", \"type\": \"pageview\"}]}]",
                "sites[0].goals[0].nmae: unknown field; did you mean name?"),
            Arguments.of("[{\"domain\": \"b.example\", \"ingest_brust\": 5}]",
                "sites[0].ingest_brust: unknown key; did you mean ingest_burst?"));
    }

    @ParameterizedTest
    @MethodSource("badSites")
    void eachSiteKeyTakesItsTypeOnly(final String sites, final String problem)
    {
        assertEquals(List.of(problem), ConfigSchema.problems(Json.parseObject("{\"sites\": " + sites + "}")));
    }

    @Test
    void aSiteHasAtMostTheGoalsTheGoalBookTakes()
    {
        final int max = io.tally.engine.site.GoalBook.MAX_GOALS_PER_SITE;
        assertEquals(List.of(), ConfigSchema.problems(Json.parseObject(sitesWithGoals(max))), "at the cap");
        assertEquals(List.of("sites[0].goals: a site has at most " + max + " goals, not " + (max + 1)),
            ConfigSchema.problems(Json.parseObject(sitesWithGoals(max + 1))));
    }

    private static String sitesWithGoals(final int count)
    {
        final StringBuilder json = new StringBuilder("{\"sites\": [{\"domain\": \"a.example\", \"goals\": [");
        for (int i = 0; i < count; i++)
        {
            json.append(i == 0 ? "" : ",").append("{\"name\": \"g").append(i).append("\", \"type\": \"pageview\", \"conditions\": ")
                .append("[{\"field\": \"path\", \"op\": \"equals\", \"value\": \"/\"}]}");
        }
        return json.append("]}]}").toString();
    }

    @Test
    void theReadmeExampleIsValid()
    {
        assertEquals(List.of(), ConfigSchema.problems(Json.parseObject("{\"sites\": [{\"domain\": \"shop.example\", " +
            "\"aliases\": [\"shop.example.net\"], \"time_zone\": \"Europe/Berlin\", \"read_token\": \"s3cret\", " +
            "\"ingest_rate_limit\": 500, \"ingest_burst\": 1000, \"monthly_quota\": 1000000, \"goals\": [{\"name\": " +
            "\"Pricing\", \"type\": \"pageview\", \"conditions\": [{\"field\": \"path\", \"op\": \"starts_with\", " +
            "\"value\": \"/pricing\"}]}]}, \"blog.example\"], \"ingest_rate_limit\": 50, \"ingest_burst\": 100, " +
            "\"trusted_proxies\": [\"10.0.0.0/8\"], \"max_body\": \"32k\"}")));
    }
}
