package io.tally.ops;

import io.tally.engine.api.AdminToken;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Talking to a running engine's admin API from the command line: the admin token, one request, its answer. */
final class AdminClient
{
    static final Option URL = Option.of("--url", null, "http://127.0.0.1:8080", "the engine's address");
    static final Option TOKEN = Option.of("--token", null, null, "admin token (else TALLY_ADMIN_TOKEN, else the data dir's)");
    private static final String UNRESERVED = "-._~";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Turns a command's subcommand ({@code positional.get(0)}) and its arguments into the request to send. */
    interface RequestMaker
    {
        HttpRequest.Builder make(List<String> positional, Settings settings);
    }

    private AdminClient()
    {
    }

    /**
     * Runs an admin command: help when asked (or when no subcommand is given, then exit 2), else the request
     * {@code maker} makes, sent with the admin token; its answer printed.
     */
    static int run(final List<String> args, final List<Option> options, final Map<String, String> environment,
        final PrintStream out, final PrintStream err, final Consumer<PrintStream> help, final RequestMaker maker)
    {
        final CommandLine commandLine = new CommandLine(args, options);
        if (commandLine.wantsHelp() || commandLine.positional().isEmpty())
        {
            help.accept(commandLine.wantsHelp() ? out : err);
            return commandLine.wantsHelp() ? 0 : 2;
        }
        final Settings settings = new Settings(commandLine, environment, Map.of());
        return send(maker.make(commandLine.positional(), settings), token(settings, environment), out, err);
    }

    static String baseUrl(final Settings settings)
    {
        final String url = settings.value(URL);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The admin API's URL of one site's {@code resource} ({@code goals}, {@code tokens}); {@code --site} is required. */
    static String siteUrl(final Settings settings, final Option siteOption, final String resource)
    {
        final String site = settings.value(siteOption);
        if (site == null)
        {
            throw new UsageException("--site is required");
        }
        return baseUrl(settings) + "/api/v1/sites/" + encode(site) + "/" + resource;
    }

    /**
     * {@code part} as one path segment, %-encoded once: every UTF-8 byte but the unreserved characters (RFC 3986),
     * so a '/', '%', '+' or space in a goal name stays inside its segment and the engine reads the name back
     * exactly. A name of only dots is encoded too: clients and proxies may drop {@code .} and {@code ..} segments.
     */
    static String encode(final String part)
    {
        if (part.equals(".") || part.equals(".."))
        {
            return part.replace(".", "%2E");
        }
        final StringBuilder segment = new StringBuilder(part.length() + 8);
        for (final byte b : part.getBytes(StandardCharsets.UTF_8))
        {
            final int c = b & 0xFF;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || UNRESERVED.indexOf(c) >= 0))
            {
                segment.append((char)c);
            }
            else
            {
                segment.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return segment.toString();
    }

    /** {@code --token}, else {@code TALLY_ADMIN_TOKEN}, else the token in {@code --data-dir}. */
    static String token(final Settings settings, final Map<String, String> environment)
    {
        final String flag = settings.value(TOKEN);
        if (flag != null)
        {
            return flag;
        }
        final String env = environment.get("TALLY_ADMIN_TOKEN");
        if (env != null && !env.isBlank())
        {
            return env.trim();
        }
        final String stored = AdminToken.readFrom(Path.of(settings.value(ServeCommand.DATA_DIR)));
        if (stored == null)
        {
            throw new UsageException("no admin token: give --token, set TALLY_ADMIN_TOKEN, or point --data-dir at the engine's");
        }
        return stored;
    }

    /** Sends the request with the admin token; prints the answer; 0 for success, 1 otherwise. */
    static int send(final HttpRequest.Builder request, final String token, final PrintStream out, final PrintStream err)
    {
        final String body = fetch(request, token, err);
        if (body != null && !body.isEmpty())
        {
            out.println(body);
        }
        return body == null ? 1 : 0;
    }

    /** Sends the request with the admin token; the answer's body, or null (and a line on {@code err}) when it failed. */
    static String fetch(final HttpRequest.Builder request, final String token, final PrintStream err)
    {
        return fetch(request, token, err, Duration.ofSeconds(30));
    }

    /** As {@link #fetch(HttpRequest.Builder, String, PrintStream)}, waiting up to {@code timeout} for the answer. */
    static String fetch(final HttpRequest.Builder request, final String token, final PrintStream err, final Duration timeout)
    {
        final HttpRequest built = request.header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .timeout(timeout).build();
        try
        {
            final HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                .send(built, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300)
            {
                err.println("tally: " + response.statusCode() + " " + response.body());
                return null;
            }
            return response.body();
        }
        catch (final IOException ex)
        {
            err.println("tally: cannot reach " + built.uri() + ": " + ex.getMessage());
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
