package io.tally.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The admin API's share of a soak: a few requests a second, by turns a stats report and a goal change (soak goals
 * are added until there are {@value #SOAK_GOALS}, then one is replaced or the oldest deleted), paced on one
 * thread. Counts the answers by kind and status and keeps their latencies: a goal change writes {@code goals.json}
 * with an fsync, on the engine's I/O thread.
 */
final class AdminMix implements AutoCloseable
{
    static final int SOAK_GOALS = 20;
    private static final List<String> REPORTS = List.of("kpis?period=today", "kpis?period=7d&compare=previous",
        "goals?period=7d", "events?period=today&limit=20", "timeseries?period=today&interval=hour", "pages?period=7d&goal=Event%200",
        "sources?period=7d&goal=Event%200", "sessions?period=today&limit=20");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final String sitePath;
    private final String site;
    private final String token;
    private final long intervalNanos;
    private final Random random;
    private final Deque<String> goals = new ArrayDeque<>();
    private final Map<String, Long> answers = new TreeMap<>();
    private final List<Long> statsMicros = new ArrayList<>();
    private final List<Long> goalMicros = new ArrayList<>();
    private final Thread thread = new Thread(this::run, "soak-admin");
    private volatile boolean stopping;
    private int nextGoal;

    /** @param baseUrl the engine's {@code http://host:port}; {@code perSecond} requests a second in all. */
    AdminMix(final String baseUrl, final String site, final String token, final double perSecond, final long seed)
    {
        this.sitePath = baseUrl + "/api/v1/";
        this.token = token;
        this.intervalNanos = (long)(TimeUnit.SECONDS.toNanos(1) / perSecond);
        this.random = new Random(seed);
        this.site = site;
    }

    void start()
    {
        thread.setDaemon(true);
        thread.start();
    }

    private void run()
    {
        long due = System.nanoTime();
        for (long n = 0; !stopping; n++)
        {
            // paced to the schedule, not to the answers: a slow answer is not followed by a burst
            LockSupport.parkNanos(due - System.nanoTime());
            due += intervalNanos;
            if (n % 2 == 0)
            {
                call("stats", "GET", "stats/" + site + "/" + REPORTS.get(random.nextInt(REPORTS.size())), null, statsMicros);
            }
            else
            {
                changeGoal();
            }
        }
    }

    private void changeGoal()
    {
        final String goals = "sites/" + site + "/goals";
        if (this.goals.size() < SOAK_GOALS)
        {
            final String name = "Soak goal " + nextGoal++;
            if (call("goal add", "POST", goals, goal(name), goalMicros) == 201)
            {
                this.goals.addLast(name);
            }
        }
        else if (random.nextBoolean())
        {
            final String name = this.goals.stream().skip(random.nextInt(this.goals.size())).findFirst().orElseThrow();
            call("goal replace", "PUT", goals + "/" + name.replace(" ", "%20"), goal(name), goalMicros);
        }
        else if (call("goal delete", "DELETE", goals + "/" + this.goals.peekFirst().replace(" ", "%20"), null, goalMicros) == 204)
        {
            this.goals.removeFirst();
        }
    }

    /** A pageview goal on a path of its own, with a new value each time so a replace changes something. */
    private String goal(final String name)
    {
        return "{\"name\":\"" + name + "\",\"type\":\"pageview\",\"conditions\":[{\"field\":\"path\",\"op\":\"starts_with\"," +
            "\"value\":\"/soak/" + random.nextInt(1_000_000) + "\"}]}";
    }

    /** Sends one request and counts its answer ({@code kind status}); the status, or 0 when none came. */
    private int call(final String kind, final String method, final String path, final String body, final List<Long> micros)
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(sitePath + path)).timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build();
        final long start = System.nanoTime();
        int status;
        try
        {
            status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (final IOException ex)
        {
            status = 0;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            stopping = true;
            status = 0;
        }
        micros.add((System.nanoTime() - start) / 1_000);
        answers.merge(kind + " " + (status == 0 ? "no answer" : Integer.toString(status)), 1L, Long::sum);
        return status;
    }

    /** Answers by kind and status, and the latencies; call after {@link #close}. */
    String summary()
    {
        final StringBuilder out = new StringBuilder("admin API: ");
        answers.forEach((kind, count) -> out.append(kind).append(' ').append(String.format(Locale.ROOT, "%,d", count)).append(", "));
        out.append("stats ").append(latencies(statsMicros)).append("; goal changes ").append(latencies(goalMicros));
        return out.toString();
    }

    private static String latencies(final List<Long> micros)
    {
        if (micros.isEmpty())
        {
            return "none";
        }
        final long[] sorted = micros.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted[sorted.length / 2] / 1000.0,
            sorted[(int)Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1000.0,
            sorted[sorted.length - 1] / 1000.0);
    }

    /** Stops after the request in flight and waits for it (its timeout bounds the wait). */
    @Override
    public void close()
    {
        stopping = true;
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
