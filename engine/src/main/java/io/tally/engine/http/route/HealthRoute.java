package io.tally.engine.http.route;

import io.tally.codec.Outcome;
import io.tally.engine.http.MonitoringAccess;
import io.tally.engine.http.ServiceAnswers;

/**
 * {@code GET /healthz}, for the clients {@link MonitoringAccess} lets in: answered on the event loop, from figures kept up to date elsewhere, so a health check
 * still answers while the API's threads are busy.
 */
public final class HealthRoute implements RouteHandler
{
    private final Exchange exchange;
    private final ServiceAnswers services;

    public HealthRoute(final Exchange exchange, final ServiceAnswers services)
    {
        this.exchange = exchange;
        this.services = services;
    }

    @Override
    public void onRead()
    {
        final Outcome refusal = services.monitoringAccess().refusal(false, exchange.client(), exchange.request().authorization());
        if (refusal != null)
        {
            exchange.refuse(refusal, MonitoringAccess.detail(refusal), 0);
            return;
        }
        exchange.send(services.health(exchange.alloc()));
    }
}
