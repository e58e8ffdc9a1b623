package io.tally.ops;

import io.tally.cluster.KafkaRollupAgent;
import io.tally.cluster.NodeId;
import io.tally.cluster.WorkerReadings;
import io.tally.cluster.WorkerSettings;
import io.tally.engine.Engine;
import io.tally.engine.EngineConfig;
import io.tally.engine.http.TallyServer;
import io.tally.store.state.StateFiles;
import org.slf4j.Logger;
import sun.misc.Signal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;

/**
 * {@code tally worker}: a rollup worker of a cluster. It is the engine with its rollups counted from the Kafka topic
 * the ingest nodes forward to (in the worker group) instead of its own journal, and serves {@code /healthz},
 * {@code /metrics}, the stats API and the dashboard on its port, with serve's flags for those.
 */
final class WorkerCommand
{
    static final List<Option> OPTIONS = options();

    private WorkerCommand()
    {
    }

    private static List<Option> options()
    {
        final List<Option> all = new ArrayList<>(ServeCommand.OPTIONS);
        all.addAll(ClusterOptions.WORKER);
        return List.copyOf(all);
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally worker --kafka-bootstrap HOST:PORT [flags]");
        out.println();
        out.println("Runs a rollup worker: consumes the topic ingest nodes forward their journals to, in a consumer");
        out.println("group, counts its partitions into its own rollups, and serves the stats API on --port.");
        out.println("It takes serve's flags (those about ingest do nothing here) and the worker's own, last:");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out)
    {
        final CommandLine commandLine = new CommandLine(args, OPTIONS);
        if (commandLine.wantsHelp())
        {
            printHelp(out);
            return 0;
        }
        if (!commandLine.positional().isEmpty())
        {
            throw new UsageException("worker takes no arguments: " + commandLine.positional());
        }
        final Settings bootstrap = new Settings(commandLine, environment, Map.of());
        final Settings settings = new Settings(commandLine, environment,
            Settings.readConfigFile(bootstrap.value(ServeCommand.CONFIG)));
        final Logger log = ServeCommand.logger(settings);
        ClusterOptions.quietKafkaLogs();
        final EngineConfig config = ServeCommand.toConfig(settings);
        final String workerId = workerId(settings, config);
        final WorkerSettings worker = ClusterOptions.workerSettings(settings, workerId, config.rollupCheckpointInterval(),
            config.rollupRetentionDays(), config.maxIdempotencyKeys());
        final WorkerReadings readings = new WorkerReadings(workerId, worker.topic());
        final LongSupplier clock = System::currentTimeMillis;

        final CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        try (Engine engine = new Engine(config, clock, (rollups, checkpoints, freeSpace) ->
                new KafkaRollupAgent(rollups, checkpoints, freeSpace, worker, clock, readings));
            TallyServer server = TallyServer.start(ClusterOptions.workerServices(engine, settings)))
        {
            engine.reportedParts().addMetrics(readings);
            engine.reportedParts().addHealth("worker", readings::health);
            // as serve: sites added to the config file are reported on without a restart
            ServeCommand.listenForReloads(new ConfigReloader(commandLine, environment, engine, log), engine.geoIp(), log);
            log.info("tally worker {} listening on {}:{}, counting topic {} of {} in group {}, data in {}", workerId,
                config.host(), server.port(), worker.topic(), worker.bootstrap(), worker.group(),
                config.dataDir().toAbsolutePath().normalize());
            ServeCommand.awaitUninterruptibly(stop);
            log.info("draining: finishing requests in flight, then checkpointing the rollups and offsets");
        }
        log.info("stopped cleanly");
        return 0;
    }

    private static String workerId(final Settings settings, final EngineConfig config)
    {
        try
        {
            return NodeId.resolve(settings.value(ClusterOptions.NODE_ID), new StateFiles(config.dataDir()),
                ClusterOptions.NODE_ID_FILE, "worker-");
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
    }
}
