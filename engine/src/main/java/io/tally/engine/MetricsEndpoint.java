package io.tally.engine;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.IntSupplier;

/**
 * {@code GET /metrics}: the Prometheus text exposition format (HELP and TYPE lines) of Tally's families and the
 * JVM's (memory, GC, threads, class loading), written by the client library. One registry per server, so several
 * engines in one JVM (tests) do not mix. Open unless {@code --metrics-token} is set; then it needs
 * {@code Authorization: Bearer <that token>}, as Prometheus's {@code authorization} scrape setting sends.
 */
final class MetricsEndpoint
{
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final AdminToken token;
    private final ThrottledErrorLog errors = new ThrottledErrorLog("metrics scrape");

    MetricsEndpoint(final Engine engine, final IntSupplier openConnections)
    {
        registry.register(new EngineMetrics(engine, openConnections));
        JvmMetrics.builder().register(registry);
        final String configured = engine.config().metricsToken();
        this.token = configured == null || configured.isBlank() ? null :
            AdminToken.of(configured);
    }

    boolean authorizes(final String authorization)
    {
        return token == null || token.authorizes(authorization);
    }

    String contentType()
    {
        return writer.getContentType();
    }

    /**
     * The scrape, as bytes: synchronized, as the latency summaries swap their intervals on read. A failure is
     * logged (the caller's connection is then closed without an answer).
     */
    synchronized byte[] scrape()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try
        {
            writer.write(out, registry.scrape());
        }
        catch (final IOException ex)
        {
            errors.onError(ex);
            throw new UncheckedIOException(ex);
        }
        catch (final RuntimeException ex)
        {
            errors.onError(ex);
            throw ex;
        }
        return out.toByteArray();
    }
}
