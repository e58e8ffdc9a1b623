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
 * addresses; {@code tally limits set --rate R --burst B [--site S]} changes them live and {@code tally limits rm
 * --site S} removes a site's override, so the site follows the default again (until the next restart or SIGHUP,
 * which apply the configuration again).
 */
final class LimitsCommand
{
    static final Option RATE = Option.of("--rate", null, null, "requests per second per client address (limits set)");
    static final Option BURST = Option.of("--burst", null, null, "requests an idle address may send at once (limits set)");
    static final Option SITE = Option.of("--site", null, null,
        "the site whose override to change (limits set) or remove (limits rm); without it, set changes the default");
    static final List<Option> OPTIONS = List.of(RATE, BURST, SITE, AdminClient.URL, AdminClient.TOKEN, ServeCommand.DATA_DIR,
        AdminClient.JSON);
    private static final List<String> SUBCOMMANDS = List.of("show", "set", "rm");
    private static final String PATH = "/api/v1/limits";

    private LimitsCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally limits [show] [--url URL] [--token T] [--json]   settings, overrides, top limited addresses");
        out.println("       tally limits set [--rate R] [--burst B] [--site S]      change them live");
        out.println("       tally limits rm --site S                                remove a site's override: the default applies");
        out.println();
        out.println("Changes last until the next restart or SIGHUP, which apply the configuration again.");
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
        final String subcommand = positional.isEmpty() ? "show" : AdminClient.subcommand("limits", positional, SUBCOMMANDS);
        if (positional.size() > 1)
        {
            throw new UsageException("limits " + subcommand + " takes no argument after it: " + positional.subList(1, positional.size()));
        }
        final HttpRequest.Builder request = switch (subcommand)
        {
            case "set" -> HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString(Json.write(change(settings))));
            case "rm" -> HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString(Json.write(removal(settings))));
            default -> HttpRequest.newBuilder(uri).GET();
        };
        final String body = AdminClient.fetch(request, AdminClient.token(settings, err), err);
        if (body == null)
        {
            return Main.FAILED;
        }
        if (settings.booleanValue(AdminClient.JSON))
        {
            out.println(body);
        }
        else
        {
            print(Json.parseObject(body), out);
        }
        return Main.OK;
    }

    /** {@code {"sites": {"S": null}}}: the API's way of dropping a site's override. */
    private static Map<String, Object> removal(final Settings settings)
    {
        final String site = settings.value(SITE);
        if (site == null)
        {
            throw new UsageException("limits rm needs --site S: the site whose override to remove");
        }
        final Map<String, Object> sites = new LinkedHashMap<>();
        sites.put(site, null);
        return Map.of("sites", sites);
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
            // the counts are a sketch's: a row may hold some of other addresses' refusals, shown only when it does
            final List<?> rows = (List<?>)top;
            final boolean overcounts = rows.stream().anyMatch(row -> ((BigDecimal)castMap(row).get("error")).signum() > 0);
            final Table table = overcounts ? new Table("top limited address", "refused", "of them others' at most") :
                new Table("top limited address", "refused");
            for (final Object row : rows)
            {
                final Map<String, Object> entry = castMap(row);
                if (overcounts)
                {
                    table.row(entry.get("address"), entry.get("limited"), entry.get("error"));
                }
                else
                {
                    table.row(entry.get("address"), entry.get("limited"));
                }
            }
            table.print(out, "", "  ");
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
