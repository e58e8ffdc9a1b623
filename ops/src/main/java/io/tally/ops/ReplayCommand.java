package io.tally.ops;

import io.tally.codec.json.Json;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;

/**
 * {@code tally replay FILE...}: streams NDJSON files (plain or {@code .gz}) to a running engine's trusted events
 * API in batches over several connections, retrying refused batches (429, 503, lost connections) with backoff,
 * with progress on a terminal (plain lines otherwise) and a summary at the end. Events carry their own
 * {@code id}s, so a second run stores nothing.
 */
final class ReplayCommand
{
    static final Option TOKEN = Option.of("--token", null, null, "site token of the trusted events API (tally token create)")
        .renamedEnv("TALLY_SITE_TOKEN", "TALLY_TOKEN");
    static final Option CONNECTIONS = Option.of("--connections", null, "4", "batches sent at once");
    static final Option BATCH_LINES = Option.of("--batch-lines", null, "5000", "lines per batch");
    static final List<Option> OPTIONS = List.of(AdminClient.URL, TOKEN, CONNECTIONS, BATCH_LINES);
    private static final int MAX_ATTEMPTS = 8;
    private static final int FIRST_OFFENDERS = 10;

    private final String baseUrl;
    private final String token;
    private final int batchLines;
    private final PrintStream out;
    private final PrintStream err;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final Map<String, LongAdder> rejectedByCode = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> offenders = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean failed = new AtomicBoolean();

    /** Lines of one file, ready to send. */
    private record Batch(String file, long firstLine, byte[] body, int lines)
    {
    }

    private static final Batch END = new Batch(null, 0, null, 0);

    /** Counts the bytes read from a file as stored (compressed or not), for progress against its size. */
    private static final class CountingInputStream extends java.io.FilterInputStream
    {
        private final AtomicLong count;

        CountingInputStream(final InputStream in, final AtomicLong count)
        {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException
        {
            final int b = super.read();
            if (b >= 0)
            {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int length) throws IOException
        {
            final int n = super.read(buffer, offset, length);
            if (n > 0)
            {
                count.addAndGet(n);
            }
            return n;
        }
    }

    private ReplayCommand(final String baseUrl, final String token, final int batchLines, final PrintStream out,
        final PrintStream err)
    {
        this.err = err;
        this.baseUrl = baseUrl;
        this.token = token;
        this.batchLines = batchLines;
        this.out = out;
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally replay FILE... [--url URL] [--token T] [--connections N] [--batch-lines N]");
        out.println();
        out.println("Streams NDJSON event files (plain or .gz) to a running engine; the site token is --token or");
        out.println("TALLY_SITE_TOKEN. Exit code 0: every line stored (or a duplicate); 3: the engine rejected some lines");
        out.println("(the first are listed by file and line); 1: the replay did not finish; 2: a usage error.");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out, final PrintStream err)
    {
        final CommandLine commandLine = new CommandLine(args, OPTIONS);
        if (commandLine.wantsHelp())
        {
            printHelp(out);
            return Main.OK;
        }
        if (commandLine.positional().isEmpty())
        {
            throw new UsageException("give the files to replay (tally replay --help)");
        }
        final Settings settings = new Settings(commandLine, environment, Map.of());
        final String token = settings.value(TOKEN);
        if (token == null)
        {
            throw new UsageException("give --token (a site token: tally token create --site S) or set TALLY_SITE_TOKEN");
        }
        final List<Path> files = new ArrayList<>();
        long totalBytes = 0;
        for (final String name : commandLine.positional())
        {
            final Path file = Path.of(name);
            if (!Files.isRegularFile(file) || !Files.isReadable(file))
            {
                throw new UsageException("cannot read " + name + ": " + (!Files.exists(file) ? "no such file" :
                    Files.isDirectory(file) ? "is a directory" : !Files.isReadable(file) ? "permission denied" : "not a regular file"));
            }
            files.add(file);
            totalBytes += file.toFile().length();
        }
        final ReplayCommand replay = new ReplayCommand(AdminClient.baseUrl(settings), token,
            Math.max(1, settings.intValue(BATCH_LINES)), out, err);
        return replay.replay(files, totalBytes, Math.max(1, settings.intValue(CONNECTIONS)));
    }

    private int replay(final List<Path> files, final long totalBytes, final int connections)
    {
        final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(connections * 2);
        final List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < connections; i++)
        {
            final Thread sender = new Thread(() -> sendAll(queue), "tally-replay-" + i);
            sender.start();
            senders.add(sender);
        }
        final long untrackedBefore = untrackedKeys();
        Path reading = null;
        final long start = System.nanoTime();
        final Progress progress = new Progress(out, totalBytes, start);
        final Thread reporter = new Thread(() -> progress.run(sent, bytesRead), "tally-replay-progress");
        reporter.setDaemon(true);
        reporter.start();
        try
        {
            for (final Path file : files)
            {
                reading = file;
                read(file, queue);
            }
            for (int i = 0; i < connections; i++)
            {
                queue.put(END);
            }
            for (final Thread sender : senders)
            {
                sender.join();
            }
        }
        catch (final IOException ex)
        {
            err.println("tally replay: cannot read " + reading + ": " + ErrorReasons.of(ex));
            failed.set(true);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            failed.set(true);
        }
        progress.stop();
        printSummary((System.nanoTime() - start) / 1e9);
        warnOfUntrackedKeys(untrackedBefore);
        return failed.get() ? Main.FAILED : rejectedByCode.isEmpty() ? Main.OK : Main.PARTIAL;
    }

    /** The engine's count of ids it stored but could not remember (past {@code --max-idempotency-keys}), or -1. */
    private long untrackedKeys()
    {
        try
        {
            final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/healthz"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            final Object count = Json.parseObject(response.body()).get("idempotency_keys_untracked");
            return count instanceof BigDecimal ? ((BigDecimal)count).longValue() : -1;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void warnOfUntrackedKeys(final long before)
    {
        final long after = before < 0 ? -1 : untrackedKeys();
        if (after > before)
        {
            out.printf("warning: the engine stored %,d ids it could not remember (past its --max-idempotency-keys); " +
                "replaying them again would store them again%n", after - before);
        }
    }

    private void read(final Path file, final BlockingQueue<Batch> queue) throws IOException, InterruptedException
    {
        try (InputStream raw = new BufferedInputStream(new CountingInputStream(Files.newInputStream(file), bytesRead), 1 << 16);
            InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw)
        {
            final ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 20);
            long line = 1;
            long firstLine = 1;
            int lines = 0;
            final byte[] buffer = new byte[1 << 16];
            boolean endsWithLineBreak = true;
            for (int n = in.read(buffer); n >= 0 && !failed.get(); n = in.read(buffer))
            {
                if (n > 0)
                {
                    endsWithLineBreak = buffer[n - 1] == '\n';
                }
                int from = 0;
                for (int i = 0; i < n; i++)
                {
                    if (buffer[i] == '\n')
                    {
                        body.write(buffer, from, i + 1 - from);
                        from = i + 1;
                        lines++;
                        line++;
                        if (lines == batchLines)
                        {
                            queue.put(new Batch(file.toString(), firstLine, body.toByteArray(), lines));
                            body.reset();
                            firstLine = line;
                            lines = 0;
                        }
                    }
                }
                body.write(buffer, from, n - from);
            }
            if (body.size() > 0)
            {
                queue.put(new Batch(file.toString(), firstLine, body.toByteArray(), lines + (endsWithLineBreak ? 0 : 1)));
            }
        }
    }

    private void sendAll(final BlockingQueue<Batch> queue)
    {
        try
        {
            for (Batch batch = queue.take(); batch != END; batch = queue.take())
            {
                if (!failed.get())
                {
                    send(batch);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void send(final Batch batch) throws InterruptedException
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/events")).timeout(Duration.ofMinutes(5))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body())).build();
        long backoffMillis = 200;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++)
        {
            try
            {
                final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                final int status = response.statusCode();
                if (status == 200 || status == 403)
                {
                    count(batch, Json.parseObject(response.body()));
                    return;
                }
                if (status != 429 && status != 503)
                {
                    offenders.add(batch.file() + " from line " + batch.firstLine() + ": " + request.uri() + " answered " + status +
                        ": " + AdminClient.refusal(status, response.body(),
                        "the site token was refused; check --token or TALLY_SITE_TOKEN"));
                    failed.set(true);
                    return;
                }
                backoffMillis = Math.max(backoffMillis, 1000 * response.headers().firstValueAsLong("Retry-After").orElse(0));
            }
            catch (final IOException ex)
            {
                if (attempt == MAX_ATTEMPTS)
                {
                    offenders.add(batch.file() + " from line " + batch.firstLine() + ": cannot reach " + request.uri() + ": " +
                        ErrorReasons.ofRequest(ex, request.uri()));
                    failed.set(true);
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(backoffMillis);
            backoffMillis = Math.min(backoffMillis * 2, 10_000);
        }
        offenders.add(batch.file() + " from line " + batch.firstLine() + ": still refused after " + MAX_ATTEMPTS + " attempts");
        failed.set(true);
    }

    private void count(final Batch batch, final Map<String, Object> summary)
    {
        accepted.addAndGet(((BigDecimal)summary.get("accepted")).longValue());
        duplicates.addAndGet(((BigDecimal)summary.get("duplicates")).longValue());
        for (final Object entry : (List<?>)summary.get("rejected"))
        {
            final Map<?, ?> rejected = (Map<?, ?>)entry;
            final String code = (String)rejected.get("error");
            rejectedByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
            if (offenders.size() < FIRST_OFFENDERS)
            {
                final long line = batch.firstLine() + ((BigDecimal)rejected.get("line")).longValue() - 1;
                offenders.add(batch.file() + ":" + line + ": " + code + ": " + rejected.get("detail"));
            }
        }
        sent.addAndGet(batch.lines());
    }

    private void printSummary(final double seconds)
    {
        final long total = accepted.get() + duplicates.get() + rejectedByCode.values().stream().mapToLong(LongAdder::sum).sum();
        out.printf("replayed %,d events in %.1f s (%,.0f events/s): %,d accepted, %,d duplicates, %,d rejected%n", total,
            seconds, total / Math.max(seconds, 0.001), accepted.get(), duplicates.get(), total - accepted.get() - duplicates.get());
        rejectedByCode.forEach((code, count) -> out.printf("  %s: %,d%n", code, count.sum()));
        offenders.stream().limit(FIRST_OFFENDERS).forEach(line -> out.println("  " + line));
        if (failed.get())
        {
            out.println("the replay did not finish: see above (exit code 1)");
        }
        else if (!rejectedByCode.isEmpty())
        {
            out.println("the engine rejected some lines: see above (exit code 3); fix them and replay the files again: " +
                "stored events are not stored twice");
        }
    }
}
