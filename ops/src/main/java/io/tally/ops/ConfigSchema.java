package io.tally.ops;

import io.tally.codec.Suggestions;
import io.tally.engine.site.InvalidSiteException;
import io.tally.engine.site.SiteSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the config file may hold, checked before anything is read from it: every key is a {@code serve} flag's
 * key (its name with underscores) or {@code sites}, and every value has the key's type. An unknown key, a
 * wrong type or a wrong shape is refused with the key's path and, when one is close, the key meant
 * ({@code sites[0].timezone: unknown key; did you mean time_zone?}), at start and on SIGHUP alike: a typo must not
 * silently run with a default. Ranges (a port past 65535, a size's suffix) are checked where the value is read.
 */
final class ConfigSchema
{
    /** The JSON types a key takes. */
    enum Kind
    {
        STRING("a string"),
        WHOLE_NUMBER("a whole number"),
        NUMBER("a number"),
        BOOLEAN("true or false"),
        /** Plain bytes as a number, or a string with a suffix ({@code "16k"}). */
        SIZE("a size: a number of bytes or a string such as \"16k\""),
        /** A list of strings, or one comma-separated string. */
        LIST("a list of strings");

        final String expected;

        Kind(final String expected)
        {
            this.expected = expected;
        }
    }

    private static final Map<Option, Kind> KINDS = kinds();

    private ConfigSchema()
    {
    }

    private static Map<Option, Kind> kinds()
    {
        final Map<Option, Kind> kinds = new LinkedHashMap<>();
        for (final Option option : List.of(ServeCommand.HOST, ServeCommand.DATA_DIR, ServeCommand.ADMIN_TOKEN,
            ServeCommand.METRICS_TOKEN, ServeCommand.LOG_LEVEL, ServeCommand.WEBHOOK_SECRET, ServeCommand.SMTP_HOST,
            ServeCommand.SMTP_FROM, ServeCommand.SMTP_USER, ServeCommand.SMTP_PASSWORD, ServeCommand.GEOIP_DB,
            ClusterOptions.KAFKA_BOOTSTRAP, ClusterOptions.KAFKA_TOPIC, ClusterOptions.NODE_ID, ClusterOptions.KAFKA_GROUP))
        {
            kinds.put(option, Kind.STRING);
        }
        for (final Option option : List.of(ServeCommand.PORT, ServeCommand.BURST, ServeCommand.MAX_CONNECTIONS,
            ServeCommand.IDLE_TIMEOUT, ServeCommand.READ_TIMEOUT, ServeCommand.IO_THREADS, ServeCommand.API_THREADS,
            ServeCommand.API_QUEUE, ServeCommand.API_WAIT, ServeCommand.CHECKPOINT_INTERVAL, ServeCommand.MAX_IDEMPOTENCY_KEYS,
            ServeCommand.ROLLUP_RETENTION, ServeCommand.JOURNAL_RETENTION, ServeCommand.SMTP_PORT, ServeCommand.NOTIFY_ATTEMPTS,
            ServeCommand.NOTIFY_RETRY_BASE, ServeCommand.NOTIFY_MAX_PENDING, EventsCommand.SEAL_INTERVAL,
            ClusterOptions.KAFKA_SESSION_TIMEOUT))
        {
            kinds.put(option, Kind.WHOLE_NUMBER);
        }
        kinds.put(ServeCommand.RATE_LIMIT, Kind.NUMBER);
        for (final Option option : List.of(ServeCommand.KEEP_BOTS, ServeCommand.SMTP_STARTTLS, EventsCommand.EVENT_STORE,
            ServeCommand.JOURNAL_PRETOUCH))
        {
            kinds.put(option, Kind.BOOLEAN);
        }
        kinds.put(ServeCommand.MAX_BODY, Kind.SIZE);
        kinds.put(ServeCommand.MIN_FREE_SPACE, Kind.SIZE);
        kinds.put(ServeCommand.TRUSTED_PROXIES, Kind.LIST);
        kinds.put(ServeCommand.METRICS_ALLOW, Kind.LIST);
        kinds.put(ClusterOptions.PEERS, Kind.LIST);
        return kinds;
    }

    /** The kind of an option's config key, or null for an option the file cannot set. */
    static Kind kindOf(final Option option)
    {
        return KINDS.get(option);
    }

    /** Every key the file may hold at its top level, {@code sites} last. */
    static List<String> keys()
    {
        final List<String> keys = new ArrayList<>();
        KINDS.keySet().forEach(option -> keys.add(option.configKey()));
        keys.add("sites");
        return keys;
    }

    /**
     * Checks a config file's tree; the file's {@code name} starts the message of the {@link UsageException} that
     * lists every problem found (each site stops at its first).
     */
    static void check(final Map<String, Object> config, final String name)
    {
        final List<String> problems = problems(config);
        if (problems.size() == 1)
        {
            throw new UsageException("config file " + name + ": " + problems.get(0));
        }
        if (!problems.isEmpty())
        {
            throw new UsageException("config file " + name + " has " + problems.size() + " problems:\n  " +
                String.join("\n  ", problems));
        }
    }

    static List<String> problems(final Map<String, Object> config)
    {
        final Map<String, Kind> byKey = new HashMap<>();
        KINDS.forEach((option, kind) -> byKey.put(option.configKey(), kind));
        final List<String> problems = new ArrayList<>();
        for (final Map.Entry<String, Object> entry : config.entrySet())
        {
            final String key = entry.getKey();
            if (key.equals("sites"))
            {
                sites(entry.getValue(), problems);
                continue;
            }
            final Kind kind = byKey.get(key);
            if (kind == null)
            {
                problems.add(key + ": unknown key" + Suggestions.didYouMean(key, keys()));
            }
            else if (!fits(kind, entry.getValue()))
            {
                problems.add(key + ": expected " + kind.expected + ", got " + SiteSpec.describe(entry.getValue()));
            }
        }
        return problems;
    }

    private static boolean fits(final Kind kind, final Object value)
    {
        return switch (kind)
        {
            case STRING -> value instanceof String;
            case NUMBER -> value instanceof BigDecimal;
            case WHOLE_NUMBER -> value instanceof BigDecimal && isWhole((BigDecimal)value);
            case BOOLEAN -> value instanceof Boolean;
            case SIZE -> value instanceof String || value instanceof BigDecimal && isWhole((BigDecimal)value);
            case LIST -> value instanceof String || value instanceof List && ((List<?>)value).stream().allMatch(String.class::isInstance);
        };
    }

    private static boolean isWhole(final BigDecimal value)
    {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    /** {@code sites}: a list of domains or site objects, each domain once. */
    private static void sites(final Object value, final List<String> problems)
    {
        if (!(value instanceof List))
        {
            problems.add("sites: wrong shape: expected a list of sites (domains or objects with a \"domain\"), got " +
                SiteSpec.describe(value) + (value instanceof String ? "; write \"sites\": [" + quoted(value) + "]" : ""));
            return;
        }
        final List<?> entries = (List<?>)value;
        final Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < entries.size(); i++)
        {
            try
            {
                final SiteSpec site = SiteSpec.read(entries.get(i), "sites[" + i + "]");
                final Integer first = seen.putIfAbsent(site.domain(), i);
                if (first != null)
                {
                    problems.add("sites[" + i + "].domain: " + site.domain() + " is listed twice (first as sites[" + first + "])");
                }
            }
            catch (final InvalidSiteException ex)
            {
                problems.add(ex.getMessage());
            }
        }
    }

    private static String quoted(final Object value)
    {
        return "\"" + value + "\"";
    }
}
