package io.tally.ops;

import io.tally.codec.json.Json;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tally limits}: a running engine's rate limiter settings, per-site overrides and the most limited
 * addresses; {@code tally limits set --rate R --burst B [--site S]} changes them live (until the next restart
 * or SIGHUP, which apply the configuration again).
 */
final class LimitsCommand
{
    static final Option RATE = Option.of("--rate", null, null, "requests per second per client address (limits set)");
    static final Option BURST = Option.of("--burst", null, null, "requests an idle address may send at once (limits set)");
    static final Option SITE = Option.of("--site", null, null, "change this site's override instead of the default (limits set)");
    static final List<Option> OPTIONS = List.of(RATE, BURST, SITE, AdminClient.URL, AdminClient.TOKEN, ServeCommand.DATA_DIR);
    private static final String PATH = "/api/v1/limits";

    private LimitsCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally limits [--url URL] [--token T]                       settings and top limited addresses");
        out.println("       tally limits set [--rate R] [--burst B] [--site S]          change them live");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out, final PrintStream err)
    {
        final CommandLine commandLine = new CommandLine(args, OPTIONS);
        if (commandLine.wantsHelp())
        {
            printHelp(out);
            return 0;
        }
        final Settings settings = new Settings(commandLine, environment, Map.of());
        final URI uri = URI.create(AdminClient.baseUrl(settings) + PATH);
        final List<String> positional = commandLine.positional();
        final HttpRequest.Builder request;
        if (positional.isEmpty())
        {
            request = HttpRequest.newBuilder(uri).GET();
        }
        else if (positional.equals(List.of("set")))
        {
            request = HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString(Json.write(change(settings))));
        }
        else
        {
            throw new UsageException("limits takes no argument but 'set': " + positional);
        }
        final String body = AdminClient.fetch(request, AdminClient.token(settings, environment), err);
        if (body == null)
        {
            return 1;
        }
        print(Json.parseObject(body), out);
        return 0;
    }

    private static Map<String, Object> change(final Settings settings)
    {
        final Map<String, Object> setting = new LinkedHashMap<>();
        if (settings.value(RATE) != null)
        {
            setting.put("rate_per_second", new BigDecimal(Double.toString(settings.doubleValue(RATE))));
        }
        if (settings.value(BURST) != null)
        {
            setting.put("burst", settings.intValue(BURST));
        }
        if (setting.isEmpty())
        {
            throw new UsageException("limits set needs --rate or --burst");
        }
        final String site = settings.value(SITE);
        return site == null ? setting : Map.of("sites", Map.of(site, setting));
    }

    /** The answer of GET/PUT /api/v1/limits as an operator reads it. */
    static void print(final Map<String, Object> limits, final PrintStream out)
    {
        printLimiter("default", limits, out);
        final Object sites = limits.get("sites");
        if (sites instanceof Map)
        {
            ((Map<?, ?>)sites).forEach((site, limiter) ->
            {
                out.println();
                printLimiter("site " + site, castMap(limiter), out);
            });
        }
    }

    private static void printLimiter(final String name, final Map<String, Object> limiter, final PrintStream out)
    {
        out.printf("%s: %s requests/s, burst %s%s%n", name, plain(limiter.get("rate_per_second")), plain(limiter.get("burst")),
            Boolean.TRUE.equals(limiter.get("enabled")) ? "" : " (off)");
        out.printf("  tracked addresses %s, limited requests %s, limited addresses %s, untracked %s%n",
            plain(limiter.get("tracked_addresses")), plain(limiter.get("limited")), plain(limiter.get("limited_addresses")),
            plain(limiter.get("untracked")));
        final Object top = limiter.get("top_limited");
        if (top instanceof List && !((List<?>)top).isEmpty())
        {
            out.printf("  %-39s %12s%n", "top limited address", "refused");
            for (final Object row : (List<?>)top)
            {
                final Map<String, Object> entry = castMap(row);
                final long error = ((BigDecimal)entry.get("error")).longValue();
                out.printf("  %-39s %12s%s%n", entry.get("address"), plain(entry.get("limited")),
                    error > 0 ? " (at most " + error + " of them other addresses')" : "");
            }
        }
    }

    private static String plain(final Object value)
    {
        return value instanceof BigDecimal ? ((BigDecimal)value).stripTrailingZeros().toPlainString() : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(final Object value)
    {
        return (Map<String, Object>)value;
    }
}
