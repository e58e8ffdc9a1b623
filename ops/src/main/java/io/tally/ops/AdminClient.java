package io.tally.ops;

import io.tally.codec.Suggestions;
import io.tally.codec.json.Json;
import io.tally.engine.api.AdminToken;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Talking to a running engine's admin API from the command line: the admin token, one request, its answer. */
final class AdminClient
{
    /** How long a client command waits for the engine's answer. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Option URL = Option.of("--url", null, "http://127.0.0.1:8080", "the engine's address");
    static final Option TOKEN = Option.of("--token", null, null, "admin token (else the one in --data-dir, said on stderr)")
        .renamedEnv("TALLY_ADMIN_TOKEN", "TALLY_TOKEN");
    static final Option JSON = Option.onOff("--json", null, "print the engine's JSON answer (for scripts) instead of a table");
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

    /** Prints a subcommand's answer for people (a table, a line); the raw JSON is printed with {@code --json}. */
    interface AnswerPrinter
    {
        void print(List<String> positional, String body, PrintStream out);
    }

    /** Prints the engine's answer as it came (JSON), nothing for an empty one. */
    static final AnswerPrinter RAW = (positional, body, out) ->
    {
        if (!body.isEmpty())
        {
            out.println(body);
        }
    };

    /**
     * Runs an admin command: help when asked (or when no subcommand is given, then exit 2), else the request
     * {@code maker} makes, sent with the admin token; its answer printed by {@code printer}, or as JSON with
     * {@code --json} (when {@code options} has it).
     */
    static int run(final List<String> args, final List<Option> options, final Map<String, String> environment,
        final PrintStream out, final PrintStream err, final Consumer<PrintStream> help, final RequestMaker maker,
        final AnswerPrinter printer)
    {
        return run(args, options, environment, out, err, help, maker, printer, DEFAULT_TIMEOUT);
    }

    /** As above, waiting up to {@code timeout} for the engine's answer (a long-running admin task needs more). */
    static int run(final List<String> args, final List<Option> options, final Map<String, String> environment,
        final PrintStream out, final PrintStream err, final Consumer<PrintStream> help, final RequestMaker maker,
        final AnswerPrinter printer, final Duration timeout)
    {
        final CommandLine commandLine = new CommandLine(args, options);
        if (commandLine.wantsHelp() || commandLine.positional().isEmpty())
        {
            help.accept(commandLine.wantsHelp() ? out : err);
            return commandLine.wantsHelp() ? Main.OK : Main.USAGE;
        }
        final Settings settings = new Settings(commandLine, environment, Map.of());
        final HttpRequest.Builder request = maker.make(commandLine.positional(), settings);
        final String body = fetch(request, token(settings, err), err, timeout);
        if (body == null)
        {
            return Main.FAILED;
        }
        (options.contains(JSON) && settings.booleanValue(JSON) ? RAW : printer).print(commandLine.positional(), body, out);
        return Main.OK;
    }

    /** The subcommand's name when it is one of {@code known}; else a usage error naming the closest. */
    static String subcommand(final String command, final List<String> positional, final List<String> known)
    {
        final String typed = positional.get(0);
        if (!known.contains(typed))
        {
            throw new UsageException("unknown " + command + " command '" + typed + "'" +
                Suggestions.didYouMean(typed, known) + " (one of " + String.join(", ", known) + ")");
        }
        return typed;
    }

    /** {@code --url} without a trailing slash; one that is not an http(s) address is a usage error. */
    static String baseUrl(final Settings settings)
    {
        final String url = settings.value(URL).trim();
        final URI uri;
        try
        {
            uri = new URI(url);
        }
        catch (final URISyntaxException ex)
        {
            throw new UsageException("--url is not an address: '" + url + "' (" + ex.getReason() + ")");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null)
        {
            throw new UsageException("--url must be http://HOST:PORT or https://HOST:PORT: '" + url + "'");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The admin API's URL of one site's {@code resource} ({@code goals}, {@code tokens}); {@code --site} is required. */
    static String siteUrl(final Settings settings, final Option siteOption, final String resource)
    {
        final String site = settings.value(siteOption);
        if (site == null)
        {
            throw new UsageException("--site S is required (or TALLY_SITE): the site whose " + resource + " to read or change");
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

    /**
     * {@code --token}, else {@code TALLY_ADMIN_TOKEN}, else the token in {@code --data-dir} (a local engine's): then
     * {@code err} says which file, since the current directory's {@code ./data} may not be the engine meant.
     */
    static String token(final Settings settings, final PrintStream err)
    {
        final String given = settings.value(TOKEN);
        if (given != null)
        {
            return given;
        }
        final Path file = Path.of(settings.value(ServeCommand.DATA_DIR)).resolve(AdminToken.FILE);
        final String stored;
        try
        {
            stored = Files.readString(file).trim();
        }
        catch (final IOException ex)
        {
            throw new UsageException("no admin token: give --token or set TALLY_ADMIN_TOKEN, or point --data-dir at the " +
                "engine's data (cannot read " + file + ": " + ErrorReasons.of(ex) + ")");
        }
        err.println("tally: using the admin token in " + file);
        return stored;
    }

    /**
     * Sends the request with the admin token; the answer's body, or null when it failed: then a line on {@code err}
     * with the method, the URL and why (the engine's error and detail, or why it could not be reached).
     */
    static String fetch(final HttpRequest.Builder request, final String token, final PrintStream err)
    {
        return fetch(request, token, err, DEFAULT_TIMEOUT);
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
                err.println("tally: " + built.method() + " " + built.uri() + " answered " + response.statusCode() + ": " +
                    refusal(response.statusCode(), response.body(),
                    "the admin token was refused; check --token, TALLY_ADMIN_TOKEN or --data-dir"));
                return null;
            }
            return response.body();
        }
        catch (final IOException ex)
        {
            err.println("tally: cannot reach " + built.uri() + ": " + ErrorReasons.ofRequest(ex, built.uri()));
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            err.println("tally: interrupted while waiting for " + built.uri());
            return null;
        }
    }

    /** An error answer as a person reads it: the engine's detail and code; {@code ifUnauthorized} added to a 401. */
    static String refusal(final int status, final String body, final String ifUnauthorized)
    {
        String text = body == null || body.isBlank() ? "(no body)" : body.strip();
        try
        {
            final Map<String, Object> error = Json.parseObject(text);
            if (error.get("error") != null)
            {
                text = (error.get("detail") == null ? "" : error.get("detail") + " ") + "(" + error.get("error") + ")";
            }
        }
        catch (final IllegalArgumentException notJson)
        {
            // the answer is shown as it came
        }
        return status == 401 ? text + ": " + ifUnauthorized : text;
    }
}
