package io.tally.ops;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one) in a process of its own, started from this test's
 * class path ({@code kafka_2.13} is a test dependency): formatted once, then started, stopped and started again on
 * the same ports and log directory.
 */
final class KafkaBroker implements AutoCloseable
{
    private final Path directory;
    private final Path properties;
    private final int port;
    private final Path log;
    private Process process;

    private KafkaBroker(final Path directory, final int port, final int controllerPort) throws IOException
    {
        this.directory = directory;
        this.port = port;
        this.properties = directory.resolve("server.properties");
        this.log = directory.resolve("broker.log");
        Files.writeString(properties, String.join("\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs=" + directory.resolve("logs"),
            "num.partitions=4",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=4",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "transaction.state.log.num.partitions=4",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            ""));
    }

    /** Formats a new broker's storage in {@code directory} and starts it on free ports. */
    static KafkaBroker start(final Path directory) throws IOException, InterruptedException
    {
        final KafkaBroker broker = new KafkaBroker(directory, freePort(), freePort());
        broker.format();
        broker.start();
        return broker;
    }

    String bootstrap()
    {
        return "127.0.0.1:" + port;
    }

    private void format() throws IOException, InterruptedException
    {
        final Process format = new ProcessBuilder(java("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c",
            properties.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0)
        {
            format.destroyForcibly();
            throw new IllegalStateException("formatting the broker's storage failed:\n" + Files.readString(log));
        }
    }

    /** A KRaft cluster id: Kafka's own random ids never start with '-', which the tool would take for a flag. */
    private static String clusterId()
    {
        return org.apache.kafka.common.Uuid.randomUuid().toString();
    }

    /** Starts the broker and waits until its port accepts connections. */
    void start() throws IOException, InterruptedException
    {
        process = new ProcessBuilder(java("kafka.Kafka", properties.toString())).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline)
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            }
            catch (final IOException notYet)
            {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the broker did not open its port:\n" + Files.readString(log));
    }

    /** Stops the broker (SIGTERM: a controlled shutdown) and waits for it. */
    void stop() throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Creates {@code topic} with {@code partitions} partitions (replication factor 1). */
    void createTopic(final String topic, final int partitions) throws Exception
    {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap())))
        {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short)1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    String log() throws IOException
    {
        return Files.readString(log);
    }

    private static List<String> java(final String mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
            System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
