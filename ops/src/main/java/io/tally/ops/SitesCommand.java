package io.tally.ops;

import io.tally.codec.json.Json;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tally sites list|add|rm}: a running engine's sites through the admin API ({@code /api/v1/sites}); a change
 * takes effect at once and is kept in the engine's data dir across restarts and SIGHUP.
 */
final class SitesCommand
{
    static final Option TIME_ZONE = Option.of("--time-zone", null, null, "the site's time zone, as Europe/Berlin (sites add)");
    static final Option ALIAS = Option.repeatable("--alias", null, null, "another host name of the site (sites add)");
    static final Option OBJECT = Option.of("--object", null, null,
        "the whole site as a JSON object, as in the config file's sites (sites add)");
    static final Option JSON = Option.onOff("--json", null, "print the engine's JSON answer, for scripts (sites list)");
    private static final List<String> SUBCOMMANDS = List.of("list", "add", "rm");
    static final List<Option> OPTIONS = List.of(TIME_ZONE, ALIAS, OBJECT, JSON, AdminClient.URL, AdminClient.TOKEN,
        ServeCommand.DATA_DIR);
    private static final String PATH = "/api/v1/sites";

    private SitesCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally sites [list] [--json]                              the running engine's sites");
        out.println("       tally sites add DOMAIN [--time-zone Z] [--alias A]...     add a site, or change one");
        out.println("       tally sites add --object '{\"domain\": ..., ...}'          the same, any site key");
        out.println("       tally sites rm DOMAIN                                    remove a site (its data stays)");
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
        final List<String> positional = commandLine.positional();
        final String action = positional.isEmpty() ? "list" : AdminClient.subcommand("sites", positional, SUBCOMMANDS);
        final String base = AdminClient.baseUrl(settings) + PATH;
        final HttpRequest.Builder request = switch (action)
        {
            case "list" ->
            {
                arguments(positional, 1, "sites list");
                yield HttpRequest.newBuilder(URI.create(base)).GET();
            }
            case "add" -> HttpRequest.newBuilder(URI.create(base))
                .POST(HttpRequest.BodyPublishers.ofString(siteObject(settings, positional)));
            case "rm" ->
            {
                arguments(positional, 2, "sites rm DOMAIN");
                yield HttpRequest.newBuilder(URI.create(base + "/" + AdminClient.encode(positional.get(1)))).DELETE();
            }
            default -> throw new IllegalStateException(action);
        };
        final String body = AdminClient.fetch(request, AdminClient.token(settings, err), err);
        if (body == null)
        {
            return 1;
        }
        if (action.equals("list") && !settings.booleanValue(JSON))
        {
            printTable(Json.parseObject(body), out);
        }
        else
        {
            out.println(action.equals("list") ? body : Json.parseObject(body).get("changes"));
        }
        return 0;
    }

    private static void arguments(final List<String> positional, final int count, final String usage)
    {
        if (positional.size() != count)
        {
            throw new UsageException("usage: tally " + usage);
        }
    }

    /** {@code --object}, or the domain with {@code --time-zone} and {@code --alias}. */
    private static String siteObject(final Settings settings, final List<String> positional)
    {
        final String object = settings.value(OBJECT);
        if (object != null)
        {
            arguments(positional, 1, "sites add --object '{\"domain\": ...}' (no DOMAIN beside it)");
            return object;
        }
        arguments(positional, 2, "sites add DOMAIN [--time-zone Z] [--alias A]...");
        final Map<String, Object> site = new LinkedHashMap<>();
        site.put("domain", positional.get(1));
        if (!settings.values(ALIAS).isEmpty())
        {
            site.put("aliases", settings.values(ALIAS));
        }
        if (settings.value(TIME_ZONE) != null)
        {
            site.put("time_zone", settings.value(TIME_ZONE));
        }
        return Json.write(site);
    }

    private static void printTable(final Map<String, Object> answer, final PrintStream out)
    {
        out.printf("%-32s %-7s %-20s %s%n", "domain", "source", "time zone", "aliases");
        for (final Object row : (List<?>)answer.get("sites"))
        {
            final Map<?, ?> site = (Map<?, ?>)row;
            final Object aliases = site.get("aliases");
            out.printf("%-32s %-7s %-20s %s%n", site.get("domain"), site.get("source"),
                site.get("time_zone") == null ? "UTC" : site.get("time_zone"),
                aliases instanceof List ? String.join(", ", ((List<?>)aliases).stream().map(String::valueOf).toList()) : "");
        }
    }
}
