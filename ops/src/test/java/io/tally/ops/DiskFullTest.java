package io.tally.ops;

import io.tally.codec.Outcome;
import io.tally.codec.json.Json;
import io.tally.store.agent.SupervisedAgent;
import io.tally.testing.JournalOracle;
import io.tally.testing.RawHttp;
import io.tally.testing.SmallDisk;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The disk filling under load and emptying again, on a real 24 MB file system, under the engine and the notifier as
 * {@code tally serve} runs them: every beacon is answered 202 or 503 {@code disk_full} with {@code Retry-After},
 * {@code /healthz} answers throughout and says why, every agent lives, and once space is back ingest resumes and the
 * rollups catch up without a restart. Every 202 is in the journal exactly once; nothing refused is.
 */
class DiskFullTest
{
    private static final String SITE = "shop.example";
    private static final int CLIENTS = 4;
    private static final long DAY = 86_400_000L;
    /** A beacon of about 1.8 KB: the disk fills in seconds. */
    private static final String PAD = "x".repeat(1_700);

    @TempDir
    Path dir;

    private final Map<String, Integer> answers = new ConcurrentHashMap<>();
    /** What went wrong, at most the first hundred things (a run gone wrong must not fill the heap). */
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();

    @Test
    void aFullDiskIsAnswered503UntilSpaceComesBackAndNothingIsLostOrCountedTwice() throws Exception
    {
        fillAndEmpty(4L << 20, disk -> { });
    }

    /**
     * The journal stops at the reserve, then something else takes the reserve too (a file written until the disk
     * is full): the engine keeps refusing without faulting, and recovers the same once space is back.
     */
    @Test
    void aDiskFilledToTheLastByteBySomethingElseIsRefusedTheSameAndRecovers() throws Exception
    {
        fillAndEmpty(4L << 20, this::fillTheRest);
    }

    private void fillTheRest(final Path disk)
    {
        final byte[] block = new byte[64 * 1024];
        try (java.io.OutputStream out = Files.newOutputStream(disk.resolve("ballast")))
        {
            while (true)
            {
                out.write(block);
            }
        }
        catch (final IOException full)
        {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
        }
    }

    /** Fills the disk with beacons until they are refused, lets {@code moreFilling} at it, then gives space back. */
    private void fillAndEmpty(final long reserve, final java.util.function.Consumer<Path> moreFilling) throws Exception
    {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 24);
            TestEngine engine = ServedEngine.start(disk.path().resolve("data"), b -> b.minFreeSpace(reserve)))
        {
            try
            {
                load(engine, disk, moreFilling);
            }
            finally
            {
                stop.set(true);
                for (final Thread thread : threads)
                {
                    thread.join(TimeUnit.SECONDS.toMillis(30));
                }
            }
        }
    }

    private final List<Thread> threads = new ArrayList<>();

    private void load(final TestEngine engine, final SmallDisk disk, final java.util.function.Consumer<Path> moreFilling)
        throws Exception
    {
        for (int c = 0; c < CLIENTS; c++)
        {
            final int client = c;
            threads.add(new Thread(() -> send(engine, client), "client-" + c));
        }
        threads.add(new Thread(() -> watchHealth(engine), "health"));
        threads.forEach(thread ->
        {
            thread.setDaemon(true);
            thread.start();
        });

        await("503 disk_full answers", () -> refused.get() >= 100);
        moreFilling.accept(disk.path());
        final long refusedBefore = refused.get();
        await("more 503 disk_full answers", () -> refused.get() >= refusedBefore + 100);
        final Map<String, Object> full = engine.health();
        assertEquals("degraded", full.get("status"), full.toString());
        assertEquals(Boolean.TRUE, ((Map<?, ?>)full.get("disk")).get("low"));

        disk.resize(64);
        final long acceptedBefore = accepted.get();
        await("202 answers once space is back", () -> accepted.get() >= acceptedBefore + 200);
        stop.set(true);
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(List.of(), List.copyOf(failures), "only 202 and 503 disk_full with Retry-After, /healthz always up");

        await("a healthy engine", () -> "ok".equals(health(engine).get("status")));
        for (final SupervisedAgent agent : engine.engine().reportedParts().agents().values())
        {
            assertEquals(SupervisedAgent.State.RUNNING, agent.state(), agent.roleName() + ": " + agent.lastError());
        }
        assertJournalHoldsExactlyTheAcceptedBeacons(engine);
        final long today = Math.floorDiv(System.currentTimeMillis(), DAY) * DAY;
        assertEquals(JournalOracle.kpis(engine.dump(), SITE, today - 6 * DAY, today + DAY),
            JournalOracle.kpisOf(engine.stats(SITE, "kpis?period=7d")), "the rollups caught up without a restart");
        final String sample = "tally_rejections_total{code=\"disk_full\"} ";
        final String line = engine.call("GET", "/metrics", null, null).body().lines().filter(l -> l.startsWith(sample))
            .findFirst().orElseThrow();
        assertEquals((double)engine.engine().counters().count(Outcome.DISK_FULL),
            Double.parseDouble(line.substring(sample.length())));
        assertTrue(engine.engine().counters().count(Outcome.DISK_FULL) > 0);
    }

    private void send(final TestEngine engine, final int client)
    {
        RawHttp http = null;
        for (int n = 0; !stop.get(); n++)
        {
            final String seq = "c" + client + "-" + n;
            try
            {
                if (http == null)
                {
                    http = new RawHttp(engine.port());
                }
                final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"e\",\"n\":\"Filler\",\"u\":\"https://shop.example/fill\",\"mk\":[\"seq\",\"pad\"],\"mv\":[\"" + seq +
                        "\",\"" + PAD + "\"]}", "User-Agent: client/" + client));
                answers.put(seq, answer.status());
                if (answer.status() == 202)
                {
                    accepted.incrementAndGet();
                }
                else if (answer.status() == 503 && answer.body().contains("\"disk_full\"") && answer.header("retry-after") != null)
                {
                    refused.incrementAndGet();
                    LockSupport.parkNanos(1_000_000);
                }
                else
                {
                    fail(seq + ": " + answer.status() + " " + answer.headers() + " " + answer.body());
                }
                if ("close".equalsIgnoreCase(answer.header("connection")))
                {
                    http.close();
                    http = null;
                }
            }
            catch (final IOException ex)
            {
                fail(seq + ": " + ex);
                http = reopen(http);
            }
        }
        reopen(http);
    }

    private void fail(final String failure)
    {
        if (failures.size() < 100)
        {
            failures.add(failure);
        }
    }

    private static RawHttp reopen(final RawHttp http)
    {
        if (http != null)
        {
            try
            {
                http.close();
            }
            catch (final IOException ignored)
            {
                // it is being replaced
            }
        }
        return null;
    }

    private void watchHealth(final TestEngine engine)
    {
        while (!stop.get())
        {
            try
            {
                final RawHttp.Answer answer = engine.call("GET", "/healthz", null, null);
                if (answer.status() != 200 || !(Json.parse(answer.body()) instanceof Map))
                {
                    fail("/healthz: " + answer.status() + " " + answer.body());
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                fail("/healthz: " + ex);
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    private void assertJournalHoldsExactlyTheAcceptedBeacons(final TestEngine engine)
    {
        final Map<String, Integer> inJournal = new HashMap<>();
        for (final Map<String, Object> record : engine.dump())
        {
            final Object seq = ((Map<?, ?>)record.get("props")).get("seq");
            inJournal.merge(String.valueOf(seq), 1, Integer::sum);
        }
        final List<String> wrong = new ArrayList<>();
        answers.forEach((seq, status) ->
        {
            final int copies = inJournal.getOrDefault(seq, 0);
            if (status == 202 ? copies != 1 : copies != 0)
            {
                wrong.add(seq + " answered " + status + ", in the journal " + copies + " times");
            }
        });
        assertEquals(List.of(), wrong);
        assertEquals(accepted.get(), inJournal.values().stream().mapToInt(Integer::intValue).sum());
    }

    private static Map<String, Object> health(final TestEngine engine)
    {
        try
        {
            return engine.health();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static void await(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, "no " + what + " within 60 s");
            LockSupport.parkNanos(10_000_000);
        }
    }
}
