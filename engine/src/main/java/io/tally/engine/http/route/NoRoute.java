package io.tally.engine.http.route;

import io.tally.codec.Outcome;

/** A path the engine does not serve (404), or one it serves for other methods (405). */
public final class NoRoute implements RouteHandler
{
    private final Exchange exchange;
    private final Outcome outcome;
    private final String detail;

    private NoRoute(final Exchange exchange, final Outcome outcome, final String detail)
    {
        this.exchange = exchange;
        this.outcome = outcome;
        this.detail = detail;
    }

    public static NoRoute notFound(final Exchange exchange)
    {
        return new NoRoute(exchange, Outcome.NOT_FOUND, "no such path");
    }

    public static NoRoute methodNotAllowed(final Exchange exchange)
    {
        return new NoRoute(exchange, Outcome.METHOD_NOT_ALLOWED, "this path does not take that method");
    }

    @Override
    public void onRead()
    {
        exchange.refuse(outcome, detail, 0);
    }
}
