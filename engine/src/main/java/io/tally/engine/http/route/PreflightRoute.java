package io.tally.engine.http.route;

import io.tally.engine.http.Cors;

/** {@code OPTIONS /api/event}: the CORS preflight a browser sends before a beacon from another origin. */
public final class PreflightRoute implements RouteHandler
{
    private final Exchange exchange;

    public PreflightRoute(final Exchange exchange)
    {
        this.exchange = exchange;
    }

    @Override
    public void onRead()
    {
        exchange.send(Cors.preflight(exchange.request().requestHeaders()));
    }
}
