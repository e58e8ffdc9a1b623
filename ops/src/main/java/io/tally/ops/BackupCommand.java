package io.tally.ops;

import io.tally.codec.json.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code tally backup DIR}: asks the running engine for a consistent copy of its state in the new directory DIR
 * ({@code POST /api/v1/backup}; the engine writes it, so DIR is on the engine's machine and must be writable by
 * it), then copies the config file beside it when one is given ({@code --config} or {@code TALLY_CONFIG}).
 */
final class BackupCommand
{
    static final List<Option> OPTIONS = List.of(AdminClient.URL, AdminClient.TOKEN, ServeCommand.DATA_DIR,
        ServeCommand.CONFIG);
    /** A backup copies the whole journal: far longer than any other admin request may take. */
    private static final Duration TIMEOUT = Duration.ofHours(6);
    private static final String CONFIG_COPY = "config";

    private BackupCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally backup DIR   a consistent copy of a running engine's state (journal, rollups, goals,");
        out.println("                          tokens, salts; the config file with --config) in the new directory DIR,");
        out.println("                          written by the engine: to restore, copy DIR's contents into an empty data");
        out.println("                          dir (docs/deploy.md)");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out,
        final PrintStream err)
    {
        final CommandLine commandLine = new CommandLine(args, OPTIONS);
        if (commandLine.wantsHelp())
        {
            printHelp(out);
            return 0;
        }
        if (commandLine.positional().size() != 1)
        {
            throw new UsageException("give one directory to back up into: tally backup DIR");
        }
        final Settings settings = new Settings(commandLine, environment, Map.of());
        final Path directory = Path.of(commandLine.positional().get(0)).toAbsolutePath().normalize();
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(AdminClient.baseUrl(settings) + "/api/v1/backup"))
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("dir", directory.toString()))));
        final String answer = AdminClient.fetch(request, AdminClient.token(settings, err), err, TIMEOUT);
        if (answer == null)
        {
            return 1;
        }
        out.println(answer);
        final String config = settings.value(ServeCommand.CONFIG);
        return config == null ? 0 : copyConfig(Path.of(config), directory, out, err);
    }

    /** The config file into {@code DIR/config/}: the engine reads it from its own place, not the data dir. */
    private static int copyConfig(final Path config, final Path directory, final PrintStream out, final PrintStream err)
    {
        final Path target = directory.resolve(CONFIG_COPY).resolve(config.getFileName());
        try
        {
            Files.createDirectories(target.getParent());
            Files.copy(config, target);
            out.println("config file " + config + " copied to " + target);
            return 0;
        }
        catch (final IOException ex)
        {
            err.println("tally: the engine's state is backed up in " + directory + ", but the config file " + config +
                " could not be copied to " + target + ": " + ex + "; copy it by hand");
            return 1;
        }
    }
}
