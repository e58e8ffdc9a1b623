package io.tally.bench;

import io.tally.bench.compare.CompareGoals;
import io.tally.codec.json.Json;
import io.tally.engine.Engine;
import io.tally.engine.EngineConfig;
import io.tally.engine.identity.AddressRanges;
import io.tally.engine.site.Site;
import io.tally.matcher.Goal;
import io.tally.matcher.GoalJson;
import org.agrona.concurrent.AgentRunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An engine as the comparison harness runs it (site {@value BenchEvents#SITE} with its 100 goals, 127.0.0.1 a
 * trusted proxy, the limiter on with high limits or off), for benchmarks that call it in process.
 */
final class BenchEngine
{
    private BenchEngine()
    {
    }

    static Engine start(final Path dataDir, final boolean limiter)
    {
        return start(dataDir, limiter, null);
    }

    /** As above, looking countries up in {@code geoIpDatabase} (null: none). */
    static Engine start(final Path dataDir, final boolean limiter, final Path geoIpDatabase)
    {
        final int limit = limiter ? 1_000_000 : 0;
        final Engine engine = new Engine(EngineConfig.builder(dataDir)
            .host("127.0.0.1")
            .port(0)
            .ioThreads(1)
            .sites(List.of(new Site(BenchEvents.SITE, List.of(), "UTC")))
            .ingestRateLimit(limit)
            .ingestBurst(limit)
            .trustedProxies(AddressRanges.parse(List.of("127.0.0.1")))
            .goals(Map.of(BenchEvents.SITE, goals()))
            .geoIpDatabase(geoIpDatabase)
            .build());
        stopRollups(engine);
        return engine;
    }

    private static List<Goal> goals()
    {
        final List<Goal> goals = new ArrayList<>();
        final List<?> sites = (List<?>)Json.parseObject(CompareGoals.config(BenchEvents.SITE)).get("sites");
        for (final Object goal : (List<?>)((Map<?, ?>)sites.get(0)).get("goals"))
        {
            goals.add(GoalJson.read(goal));
        }
        return goals;
    }

    /**
     * Stops the engine's rollup agent. It would apply every journaled event on its own thread, and
     * {@code -prof gc} counts the allocation of every thread: B/op would be the agent's, not the request
     * path's (the agent has its own benchmark, {@link RollupApplyBenchmark}). The engine has no switch for
     * it, so its runner is closed through reflection; {@link Engine#close()} closing it again is harmless.
     */
    private static void stopRollups(final Engine engine)
    {
        try
        {
            // its onClose needs its onStart to have run on the agent's thread
            Thread.sleep(200);
            final java.lang.reflect.Field runner = Engine.class.getDeclaredField("rollupRunner");
            runner.setAccessible(true);
            ((AgentRunner)runner.get(engine)).close();
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException("cannot stop the rollup agent", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
