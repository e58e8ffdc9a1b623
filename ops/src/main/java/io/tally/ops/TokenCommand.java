package io.tally.ops;

import io.tally.codec.json.Json;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

/** {@code tally token create|list|revoke}: the site tokens of the trusted events API, through the admin API. */
final class TokenCommand
{
    static final List<Option> OPTIONS = List.of(GoalsCommand.SITE, AdminClient.URL, AdminClient.TOKEN, ServeCommand.DATA_DIR,
        AdminClient.JSON);
    private static final List<String> SUBCOMMANDS = List.of("create", "list", "revoke");

    private TokenCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally token create --site S [--json]    (prints the token once)");
        out.println("       tally token list   --site S [--json]    (ids and when made; the tokens themselves are never shown again)");
        out.println("       tally token revoke --site S ID");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out, final PrintStream err)
    {
        return AdminClient.run(args, OPTIONS, environment, out, err, TokenCommand::printHelp, TokenCommand::request,
            TokenCommand::print);
    }

    private static HttpRequest.Builder request(final List<String> positional, final Settings settings)
    {
        final String subcommand = AdminClient.subcommand("token", positional, SUBCOMMANDS);
        final String base = AdminClient.siteUrl(settings, GoalsCommand.SITE, "tokens");
        return switch (subcommand)
        {
            case "create" -> HttpRequest.newBuilder(URI.create(base)).POST(HttpRequest.BodyPublishers.noBody());
            case "list" -> HttpRequest.newBuilder(URI.create(base)).GET();
            case "revoke" ->
            {
                if (positional.size() != 2)
                {
                    throw new UsageException("give the id of the token to revoke");
                }
                yield HttpRequest.newBuilder(URI.create(base + "/" + AdminClient.encode(positional.get(1)))).DELETE();
            }
            default -> throw new IllegalStateException(subcommand);
        };
    }

    private static void print(final List<String> positional, final String body, final PrintStream out)
    {
        switch (positional.get(0))
        {
            case "create" ->
            {
                final Map<String, Object> created = Json.parseObject(body);
                out.println("site token for " + created.get("site") + " (id " + created.get("id") + "; shown only now, keep it):");
                out.println(created.get("token"));
            }
            case "list" ->
            {
                final Table table = new Table("id", "created");
                for (final Object entry : (List<?>)Json.parseObject(body).get("tokens"))
                {
                    table.row(((Map<?, ?>)entry).get("id"), ((Map<?, ?>)entry).get("created"));
                }
                table.print(out, "no site tokens");
            }
            default -> out.println("revoked token " + positional.get(1));
        }
    }
}
