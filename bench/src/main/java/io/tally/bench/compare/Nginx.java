package io.tally.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * nginx as a site would set it up to collect beacons without Tally: the echo module reads each body, the
 * access log writes it (buffered, flushed every second) and the answer is 202. As many worker processes as
 * Tally has I/O threads in the comparison; with more than one, each has its own listening socket ({@code reuseport}),
 * so the kernel spreads the connections over them as Netty spreads them over its event loops.
 */
final class Nginx
{
    static final Path BINARY = Path.of("/usr/sbin/nginx");
    static final Path ECHO_MODULE = Path.of("/usr/lib/nginx/modules/ngx_http_echo_module.so");

    private Nginx()
    {
    }

    /** Installs {@code nginx} and {@code libnginx-mod-http-echo} with apt when either is missing. */
    static void ensureInstalled(final PrintStream out)
    {
        if (Files.isExecutable(BINARY) && Files.exists(ECHO_MODULE))
        {
            return;
        }
        out.println("compare: installing nginx and libnginx-mod-http-echo with apt-get...");
        final String[] install = {"apt-get", "install", "-y", "-q", "nginx", "libnginx-mod-http-echo"};
        if (Processes.exitCode(install) != 0 &&
            (Processes.exitCode("apt-get", "update", "-q") != 0 || Processes.exitCode(install) != 0))
        {
            throw new IllegalStateException("apt-get could not install nginx and libnginx-mod-http-echo (run as root?)");
        }
    }

    /** Writes {@code dir/nginx.conf} for a server on {@code port}; the bodies go to {@code dir/access.log}. */
    static Path configure(final Path dir, final int port, final int workers)
    {
        final String config = String.join("\n",
            "worker_processes " + workers + ";",
            "daemon off;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "error_log " + dir.resolve("error.log") + " warn;",
            "load_module " + ECHO_MODULE + ";",
            "events { worker_connections 16384; multi_accept on; }",
            "http {",
            "  access_log off;",
            "  client_body_temp_path " + dir.resolve("body") + ";",
            "  client_body_buffer_size 16k;",
            "  client_max_body_size 16k;",
            "  keepalive_requests 100000000;",
            "  keepalive_timeout 60s;",
            "  log_format body '$remote_addr $http_x_forwarded_for $msec \"$http_user_agent\" $status $request_body';",
            "  server {",
            "    listen 127.0.0.1:" + port + " backlog=1024" + (workers > 1 ? " reuseport" : "") + ";",
            "    location = /api/event {",
            "      access_log " + dir.resolve("access.log") + " body buffer=256k flush=1s;",
            "      echo_read_request_body;",
            "      echo_status 202;",
            "    }",
            "  }",
            "}",
            "");
        try
        {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("nginx.conf"), config);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
