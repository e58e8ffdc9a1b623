package io.tally.ops;

import io.tally.codec.json.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    static final List<Option> OPTIONS = List.of(SITE, AdminClient.URL, AdminClient.TOKEN, ServeCommand.DATA_DIR, AdminClient.JSON, FROM, TO);
    private static final Duration BACKFILL_TIMEOUT = Duration.ofHours(6);
    private static final List<String> SUBCOMMANDS = List.of("list", "show", "add", "replace", "rm", "order", "backfill");

    private GoalsCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally goals list    --site S [--url URL] [--token T] [--json]   (a table; --json for scripts)");
        out.println("       tally goals show    --site S NAME");
        out.println("       tally goals add     --site S GOAL_JSON|FILE|-    (appended last: lowest priority)");
        out.println("       tally goals replace --site S NAME GOAL_JSON|FILE|-    (same name, same place)");
        out.println("       tally goals rm      --site S NAME");
        out.println("       tally goals order   --site S NAME...            (highest priority first)");
        out.println("       tally goals backfill --site S NAME --from YYYY-MM-DD [--to YYYY-MM-DD]");
        out.println("                           (the goal over the events already journaled; run again, it adds nothing)");
        out.println();
        out.println("The admin token is --token, else TALLY_ADMIN_TOKEN, else DATA_DIR/admin-token (the file used is said");
        out.println("on stderr). --site's environment twin TALLY_SITE names the site these commands change.");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out, final PrintStream err)
    {
        // a backfill reads the journal over its days before it answers: minutes on a large one
        final Duration timeout = args.contains("backfill") ? BACKFILL_TIMEOUT : AdminClient.DEFAULT_TIMEOUT;
        return AdminClient.run(args, OPTIONS, environment, out, err, GoalsCommand::printHelp, GoalsCommand::request,
            GoalsCommand::print, timeout);
    }

    private static HttpRequest.Builder request(final List<String> positional, final Settings settings)
    {
        final String subcommand = AdminClient.subcommand("goals", positional, SUBCOMMANDS);
        final String base = AdminClient.siteUrl(settings, SITE, "goals");
        final List<String> rest = positional.subList(1, positional.size());
        return switch (subcommand)
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
            default -> throw new IllegalStateException(subcommand);
        };
    }

    /** A list as a table (highest priority first), a removal as a line; a goal itself as the engine's JSON. */
    private static void print(final List<String> positional, final String body, final PrintStream out)
    {
        switch (positional.get(0))
        {
            case "list", "order" -> goalTable(Json.parseObject(body)).print(out, "no goals");
            case "rm" -> out.println("removed goal '" + positional.get(1) + "'");
            default -> AdminClient.RAW.print(positional, body, out);
        }
    }

    /** Name, kind, type, when it fires and what it matches, one goal a row. */
    static Table goalTable(final Map<String, Object> answer)
    {
        final Table table = new Table("priority", "name", "kind", "type", "fire", "matches");
        int priority = 1;
        for (final Object entry : (List<?>)answer.get("goals"))
        {
            final Map<?, ?> goal = (Map<?, ?>)entry;
            table.row(priority++, goal.get("name"), goal.get("kind"), goal.get("type"), goal.get("fire"), matches(goal));
        }
        return table;
    }

    /** The conditions in a few words ({@code path starts_with /pricing and ...}), or the trigger's JSON. */
    private static String matches(final Map<?, ?> goal)
    {
        final List<String> parts = new ArrayList<>();
        if (goal.get("conditions") instanceof List<?> conditions)
        {
            for (final Object entry : conditions)
            {
                final Map<?, ?> condition = (Map<?, ?>)entry;
                parts.add(condition.get("field") + (condition.get("key") == null ? "" : "[" + condition.get("key") + "]") + " " +
                    condition.get("op") + (condition.get("value") == null ? "" : " " + condition.get("value")));
            }
        }
        if (goal.get("trigger") != null)
        {
            parts.add("trigger " + Json.write(goal.get("trigger")));
        }
        return String.join("any".equals(goal.get("match")) ? " or " : " and ", parts);
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

    /** A goal given inline as JSON (it starts with '{'), as {@code -} for standard input, or else as a file name. */
    private static HttpRequest.BodyPublisher body(final String goal)
    {
        if (goal.trim().startsWith("{"))
        {
            return HttpRequest.BodyPublishers.ofString(goal);
        }
        try
        {
            return HttpRequest.BodyPublishers.ofByteArray(goal.equals("-") ? System.in.readAllBytes() :
                Files.readAllBytes(Path.of(goal)));
        }
        catch (final IOException ex)
        {
            throw new UsageException("cannot read the goal from " + (goal.equals("-") ? "standard input" : goal) + ": " +
                ErrorReasons.of(ex));
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
