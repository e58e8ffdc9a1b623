package io.tally.engine.api.admin;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tally.engine.api.AdminToken;
import io.tally.engine.metrics.EngineMetrics;
import io.tally.engine.metrics.EngineReadings;
import io.tally.engine.metrics.ThrottledErrorLog;

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
public final class MetricsEndpoint
{
    /**
     * The JVM's metrics belong to the process, not to an engine: registered once, in a registry of their own, as
     * the library keeps every registry it registers them with for the life of the process (and with it the engine
     * whose collector shares that registry).
     */
    private static final PrometheusRegistry JVM = jvmRegistry();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final AdminToken token;
    private final ThrottledErrorLog errors = new ThrottledErrorLog("metrics scrape");

    /** {@code metricsToken}: the bearer token a scrape needs, or null (or blank) for none. */
    public MetricsEndpoint(final EngineReadings readings, final String metricsToken, final IntSupplier openConnections)
    {
        registry.register(new EngineMetrics(readings, openConnections));
        this.token = metricsToken == null || metricsToken.isBlank() ? null : AdminToken.of(metricsToken);
    }

    private static PrometheusRegistry jvmRegistry()
    {
        final PrometheusRegistry jvm = new PrometheusRegistry();
        JvmMetrics.builder().register(jvm);
        return jvm;
    }

    public boolean authorizes(final String authorization)
    {
        return token == null || token.authorizes(authorization);
    }

    public String contentType()
    {
        return writer.getContentType();
    }

    /**
     * The scrape, as bytes: synchronized, as the latency summaries swap their intervals on read. A failure is
     * logged (the caller's connection is then closed without an answer).
     */
    public synchronized byte[] scrape()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try
        {
            final MetricSnapshots.Builder all = MetricSnapshots.builder();
            registry.scrape().forEach(all::metricSnapshot);
            JVM.scrape().forEach(all::metricSnapshot);
            writer.write(out, all.build());
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
