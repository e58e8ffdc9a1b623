package io.tally.ops;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

/** {@code tally token create|list|revoke}: the site tokens of the trusted events API, through the admin API. */
final class TokenCommand
{
    static final List<Option> OPTIONS = List.of(GoalsCommand.SITE, AdminClient.URL, AdminClient.TOKEN, ServeCommand.DATA_DIR);

    private TokenCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally token create --site S     (prints the token once)");
        out.println("       tally token list   --site S");
        out.println("       tally token revoke --site S ID");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out, final PrintStream err)
    {
        return AdminClient.run(args, OPTIONS, environment, out, err, TokenCommand::printHelp, TokenCommand::request);
    }

    private static HttpRequest.Builder request(final List<String> positional, final Settings settings)
    {
        final String base = AdminClient.siteUrl(settings, GoalsCommand.SITE, "tokens");
        return switch (positional.get(0))
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
            default -> throw new UsageException("unknown token command '" + positional.get(0) + "'");
        };
    }
}
