package io.tally.ops;

import io.tally.codec.json.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tally goals list|show|add|replace|rm|order}: the admin API of a running engine from the command line. The token
 * is {@code --token}, else {@code TALLY_ADMIN_TOKEN}, else the one in {@code --data-dir} (a local engine).
 */
final class GoalsCommand
{
    static final Option SITE = Option.of("--site", null, null, "the site whose goals to change (required)");
    static final Option FROM = Option.of("--from", null, null, "backfill: the first day, YYYY-MM-DD in the site's time zone");
    static final Option TO = Option.of("--to", null, null, "backfill: the last day, included (default: today)");
    static final List<Option> OPTIONS = List.of(SITE, AdminClient.URL, AdminClient.TOKEN, ServeCommand.DATA_DIR, FROM, TO);

    private GoalsCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally goals list    --site S [--url URL] [--token T]");
        out.println("       tally goals show    --site S NAME");
        out.println("       tally goals add     --site S GOAL_JSON|FILE|-    (appended last: lowest priority)");
        out.println("       tally goals replace --site S NAME GOAL_JSON|FILE|-    (same name, same place)");
        out.println("       tally goals rm      --site S NAME");
        out.println("       tally goals order   --site S NAME...            (highest priority first)");
        out.println("       tally goals backfill --site S NAME --from YYYY-MM-DD [--to YYYY-MM-DD]");
        out.println("                           (the goal over the events already journaled; run again, it adds nothing)");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out, final PrintStream err)
    {
        return AdminClient.run(args, OPTIONS, environment, out, err, GoalsCommand::printHelp, GoalsCommand::request);
    }

    private static HttpRequest.Builder request(final List<String> positional, final Settings settings)
    {
        final String base = AdminClient.siteUrl(settings, SITE, "goals");
        final List<String> rest = positional.subList(1, positional.size());
        return switch (positional.get(0))
        {
            case "list" -> HttpRequest.newBuilder(URI.create(base)).GET();
            case "show" -> HttpRequest.newBuilder(goal(base, single(rest, "a goal name"))).GET();
            case "add" -> HttpRequest.newBuilder(URI.create(base)).POST(body(single(rest, "a goal")));
            case "replace" ->
            {
                if (rest.size() != 2)
                {
                    throw new UsageException("give the goal's name and the goal");
                }
                yield HttpRequest.newBuilder(goal(base, rest.get(0))).PUT(body(rest.get(1)));
            }
            case "rm" -> HttpRequest.newBuilder(goal(base, single(rest, "a goal name"))).DELETE();
            case "order" -> HttpRequest.newBuilder(URI.create(base + "/order"))
                .PUT(HttpRequest.BodyPublishers.ofString(Json.write(new ArrayList<>(rest))));
            case "backfill" -> HttpRequest.newBuilder(backfill(base, single(rest, "a goal name"), settings))
                .POST(HttpRequest.BodyPublishers.noBody());
            default -> throw new UsageException("unknown goals command '" + positional.get(0) + "'");
        };
    }

    /** The address of the goal named {@code name}: the name is one path segment, encoded once. */
    private static URI goal(final String base, final String name)
    {
        return URI.create(base + "/" + AdminClient.encode(name));
    }

    /** The goal's backfill over {@code --from} to {@code --to}. */
    private static URI backfill(final String base, final String name, final Settings settings)
    {
        final String from = settings.value(FROM);
        if (from == null)
        {
            throw new UsageException("--from is required: the first day to backfill, YYYY-MM-DD");
        }
        final String to = settings.value(TO);
        return URI.create(goal(base, name) + "/backfill?from=" + AdminClient.encode(from) +
            (to == null ? "" : "&to=" + AdminClient.encode(to)));
    }

    /** A goal given inline as JSON, as a file name, or as {@code -} for standard input. */
    private static HttpRequest.BodyPublisher body(final String goal)
    {
        try
        {
            if (goal.equals("-"))
            {
                return HttpRequest.BodyPublishers.ofByteArray(System.in.readAllBytes());
            }
            if (!goal.trim().startsWith("{") && Files.isRegularFile(Path.of(goal)))
            {
                return HttpRequest.BodyPublishers.ofFile(Path.of(goal));
            }
            return HttpRequest.BodyPublishers.ofString(goal);
        }
        catch (final IOException ex)
        {
            throw new UsageException("cannot read the goal: " + ex.getMessage());
        }
    }

    private static String single(final List<String> rest, final String what)
    {
        if (rest.size() != 1)
        {
            throw new UsageException("give exactly one argument: " + what);
        }
        return rest.get(0);
    }
}
