package io.tally.engine.http.route;

import io.tally.codec.Outcome;
import io.tally.engine.http.MonitoringAccess;
import io.tally.engine.http.ServiceAnswers;

/** {@code GET /metrics}: the Prometheus scrape, made off the event loop (it reads every counter and the disk). */
public final class MetricsRoute implements RouteHandler
{
    private final Exchange exchange;
    private final ServiceAnswers services;

    public MetricsRoute(final Exchange exchange, final ServiceAnswers services)
    {
        this.exchange = exchange;
        this.services = services;
    }

    @Override
    public void onRead()
    {
        final String authorization = exchange.request().authorization();
        final Outcome refusal = services.monitoringAccess().refusal(true, exchange.client(), authorization);
        if (refusal != null)
        {
            exchange.refuse(refusal, MonitoringAccess.detail(refusal), 0);
            return;
        }
        exchange.answerOffLoop(alloc -> services.metrics(alloc, authorization));
    }
}
