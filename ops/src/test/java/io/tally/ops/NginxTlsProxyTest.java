package io.tally.ops;

import io.tally.codec.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment recipe for real: nginx with the repository's example site config ({@code deploy/nginx-tally.conf})
 * and a self-signed certificate made here, in front of Tally started with the example config
 * ({@code deploy/tally.example.json}, which trusts the proxy on loopback). Beacons go over HTTPS from two client
 * addresses (127.0.0.2 and 127.0.0.3, both loopback); Tally gives them different visitors, so the address nginx
 * forwarded is the one it used, and a client's own {@code X-Forwarded-For} is not believed. nginx runs from a
 * temporary prefix on unprivileged ports, its workers as {@code nobody}, and is stopped at the end.
 */
class NginxTlsProxyTest
{
    static final Path NGINX = Path.of("/usr/sbin/nginx");
    static final Path OPENSSL = Path.of("/usr/bin/openssl");
    static final Path DEPLOY = Path.of("..", "deploy");

    @Test
    void beaconsOverHttpsThroughNginxArriveWithTheForwardedClientAddress(@TempDir final Path temp) throws Exception
    {
        assertTrue(Files.isExecutable(NGINX) && Files.isExecutable(OPENSSL),
            "this test needs nginx and openssl (apt-get install nginx openssl; .ci/run does)");
        final Path prefix = Files.createDirectories(temp.resolve("nginx"));
        makeCertificate(prefix);
        try (EngineProcess tally = EngineProcess.start(temp.resolve("data"), "--config",
            DEPLOY.resolve("tally.example.json").toString()))
        {
            final Nginx started = startNginx(prefix, tally.port());
            final Process nginx = started.process();
            final int https = started.https();
            final int http = started.http();
            try
            {
                final SSLContext tls = trusting(prefix.resolve("cert.pem"));
                assertEquals(202, beacon(tls, "127.0.0.2", https, "/two", null));
                assertEquals(202, beacon(tls, "127.0.0.3", https, "/three", null));
                assertEquals(202, beacon(tls, "127.0.0.2", https, "/two-spoofing", "198.51.100.9"));
                assertEquals(404, get(tls, https, "/metrics"), "the example keeps /metrics off the public side");
                assertEquals(301, plainGet(http, "/"), "plain HTTP is sent to HTTPS");

                final Map<String, String> visitors = visitorsByPath(temp.resolve("data"));
                assertNotEquals(visitors.get("/two"), visitors.get("/three"),
                    "two client addresses are two visitors: Tally used the forwarded address, not nginx's");
                assertEquals(visitors.get("/two"), visitors.get("/two-spoofing"),
                    "a client's own X-Forwarded-For is not believed: nginx's addition is");
                final List<String> workers = workerUsers(nginx.pid());
                assertTrue(!workers.isEmpty() && !workers.contains("0"), "nginx's workers do not run as root: " + workers);
            }
            finally
            {
                nginx.destroy(); // SIGTERM: nginx stops its workers and exits
                assertTrue(nginx.waitFor(30, TimeUnit.SECONDS), "nginx stopped");
            }
            assertEquals(0, tally.terminate(), tally.log());
        }
    }

    private record Nginx(Process process, int https, int http)
    {
    }

    /**
     * nginx on two free ports, listening. The ports are picked here and bound by nginx a moment later: should
     * another socket take one in between, nginx is started again on others.
     */
    private static Nginx startNginx(final Path prefix, final int tally) throws Exception
    {
        for (int attempt = 1; ; attempt++)
        {
            final int https = freePort();
            final int http = freePort();
            writeNginxConfig(prefix, tally, https, http);
            Files.deleteIfExists(prefix.resolve("error.log"));
            final Process nginx = new ProcessBuilder(NGINX.toString(), "-p", prefix + "/", "-c",
                prefix.resolve("nginx.conf").toString(), "-e", prefix.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile()).start();
            if (awaitListening(nginx, https))
            {
                return new Nginx(nginx, https, http);
            }
            final String log = read(prefix.resolve("nginx.out")) + read(prefix.resolve("error.log"));
            assertTrue(attempt < 5 && log.contains("Address already in use"), "nginx exited:\n" + log);
        }
    }

    static void makeCertificate(final Path prefix) throws Exception
    {
        final Process openssl = new ProcessBuilder(OPENSSL.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-keyout", prefix.resolve("key.pem").toString(), "-out", prefix.resolve("cert.pem").toString(), "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
            .redirectErrorStream(true).start();
        final String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, openssl.waitFor(), output);
    }

    /**
     * The example site config as shipped, pointed at this test's ports, certificate and Tally (each replaced string
     * must be in it, so the example and this test cannot drift apart), inside a main config of a temporary prefix.
     */
    private static void writeNginxConfig(final Path prefix, final int tally, final int https, final int http)
        throws IOException
    {
        String site = Files.readString(DEPLOY.resolve("nginx-tally.conf"));
        site = replace(site, "server 127.0.0.1:8080;", "server 127.0.0.1:" + tally + ";");
        site = replace(site, "listen 443 ssl;", "listen 127.0.0.1:" + https + " ssl;");
        site = replace(site, "listen 80;", "listen 127.0.0.1:" + http + ";");
        site = replace(site, "/etc/tally/tls/fullchain.pem", prefix.resolve("cert.pem").toString());
        site = replace(site, "/etc/tally/tls/privkey.pem", prefix.resolve("key.pem").toString());
        writeMainConfig(prefix, site);
    }

    /** {@code site} as {@code tally.conf}, included by a main config of the prefix (nginx runs in the foreground). */
    static void writeMainConfig(final Path prefix, final String site) throws IOException
    {
        Files.writeString(prefix.resolve("tally.conf"), site);
        final Path temp = Files.createDirectories(prefix.resolve("temp"));
        final StringBuilder main = new StringBuilder()
            .append(isRoot() ? "user nobody nogroup;\n" : "")
            .append("worker_processes 1;\ndaemon off;\n")
            .append("pid ").append(prefix.resolve("nginx.pid")).append(";\n")
            .append("error_log ").append(prefix.resolve("error.log")).append(" info;\n")
            .append("events { worker_connections 64; }\nhttp {\n")
            .append("  access_log ").append(prefix.resolve("access.log")).append(";\n");
        for (final String kind : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        {
            main.append("  ").append(kind).append("_temp_path ").append(temp.resolve(kind)).append(";\n");
        }
        main.append("  include ").append(prefix.resolve("tally.conf")).append(";\n}\n");
        Files.writeString(prefix.resolve("nginx.conf"), main);
    }

    static String replace(final String text, final String from, final String to)
    {
        assertTrue(text.contains(from), "the example in deploy/ has '" + from + "'");
        return text.replace(from, to);
    }

    /** Waits until nginx accepts connections on {@code port}: true; false if it exits first. */
    static boolean awaitListening(final Process nginx, final int port) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            if (!nginx.isAlive())
            {
                nginx.waitFor();
                return false;
            }
            try (Socket socket = new Socket("127.0.0.1", port))
            {
                return true;
            }
            catch (final IOException notYet)
            {
                Thread.sleep(50);
            }
        }
        nginx.destroyForcibly();
        throw new AssertionError("nginx does not listen on " + port);
    }

    static SSLContext trusting(final Path certificate) throws Exception
    {
        final KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate))
        {
            trusted.setCertificateEntry("nginx", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** A beacon over HTTPS from {@code from} (a loopback address), its own X-Forwarded-For if given: the status. */
    private static int beacon(final SSLContext tls, final String from, final int port, final String path,
        final String forwardedFor) throws IOException
    {
        final byte[] body = ("{\"t\":\"p\",\"u\":\"https://example.com" + path + "\"}").getBytes(StandardCharsets.UTF_8);
        final String head = "POST /api/event HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\n" +
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n" +
            (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") +
            "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        return exchange(tls, from, port, head, body);
    }

    private static int get(final SSLContext tls, final int port, final String path) throws IOException
    {
        return exchange(tls, "127.0.0.2", port, "GET " + path + " HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n",
            new byte[0]);
    }

    /** One request on a TLS connection from {@code from}, the certificate checked against 127.0.0.1: the status. */
    static int exchange(final SSLContext tls, final String from, final int port, final String head,
        final byte[] body) throws IOException
    {
        return status(exchangeBytes(tls, from, port, head, body));
    }

    /** One request on a TLS connection from {@code from}, the certificate checked against 127.0.0.1: the answer. */
    static byte[] exchangeBytes(final SSLContext tls, final String from, final int port, final String head,
        final byte[] body) throws IOException
    {
        final Socket plain = new Socket();
        plain.bind(new InetSocketAddress(from, 0));
        plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        try (SSLSocket socket = (SSLSocket)tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true))
        {
            socket.setSoTimeout(30_000);
            final SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            return socket.getInputStream().readAllBytes();
        }
    }

    private static int plainGet(final int port, final String path) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            return status(socket.getInputStream().readAllBytes());
        }
    }

    static int status(final byte[] answer)
    {
        final String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("HTTP/1.1 "), text);
        return Integer.parseInt(text.substring(9, 12));
    }

    /** Each journaled event's path and visitor, read with {@code tally journal dump}. */
    private static Map<String, String> visitorsByPath(final Path data)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(List.of("journal", "dump", "--data-dir", data.toString()), Map.of(),
            new PrintStream(out, true), System.err));
        final Map<String, String> visitors = new HashMap<>();
        out.toString(StandardCharsets.UTF_8).lines().forEach(line ->
        {
            final Map<String, Object> event = Json.parseObject(line);
            visitors.put((String)event.get("path"), (String)event.get("visitor"));
        });
        assertEquals(3, visitors.size(), out.toString(StandardCharsets.UTF_8));
        return visitors;
    }

    static boolean isRoot()
    {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The user ids the worker processes of the nginx master {@code master} run as, from /proc. */
    private static List<String> workerUsers(final long master) throws IOException
    {
        final List<String> users = new ArrayList<>();
        try (var processes = Files.list(Path.of("/proc")))
        {
            for (final Path process : (Iterable<Path>)processes::iterator)
            {
                final Path cmdline = process.resolve("cmdline");
                try
                {
                    final List<String> status = Files.readAllLines(process.resolve("status"));
                    if (Files.readString(cmdline).startsWith("nginx: worker process") &&
                        status.contains("PPid:\t" + master))
                    {
                        status.stream().filter(line -> line.startsWith("Uid:"))
                            .forEach(line -> users.add(line.split("\\s+")[1]));
                    }
                }
                catch (final IOException | java.io.UncheckedIOException gone)
                {
                    // not a process, or it ended meanwhile
                }
            }
        }
        return users;
    }

    static String read(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file) : "";
        }
        catch (final IOException ex)
        {
            return "(" + ex.getMessage() + ")";
        }
    }

    static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
