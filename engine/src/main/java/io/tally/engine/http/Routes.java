package io.tally.engine.http;

import io.tally.engine.http.route.ApiRoute;
import io.tally.engine.http.route.EventRoute;
import io.tally.engine.http.route.Exchange;
import io.tally.engine.http.route.HealthRoute;
import io.tally.engine.http.route.MetricsRoute;
import io.tally.engine.http.route.NoRoute;
import io.tally.engine.http.route.PreflightRoute;
import io.tally.engine.http.route.PublicRoute;
import io.tally.engine.http.route.RouteHandler;
import io.tally.engine.http.route.TrustedRoute;

/** A connection's route handlers, each made the first time the connection asks for its route. */
final class Routes
{
    private static final Route[] ROUTES = Route.values();

    private final RouteHandler[] made = new RouteHandler[ROUTES.length];
    private final Exchange exchange;
    private final HttpServices http;
    private final ServiceAnswers services;

    Routes(final Exchange exchange, final HttpServices http, final ServiceAnswers services)
    {
        this.exchange = exchange;
        this.http = http;
        this.services = services;
    }

    RouteHandler of(final Route route)
    {
        RouteHandler handler = made[route.ordinal()];
        if (handler == null)
        {
            handler = make(route);
            made[route.ordinal()] = handler;
        }
        return handler;
    }

    private RouteHandler make(final Route route)
    {
        return switch (route)
        {
            case EVENT -> new EventRoute(exchange, http);
            case TRUSTED -> new TrustedRoute(exchange, http);
            case PREFLIGHT -> new PreflightRoute(exchange);
            case HEALTH -> new HealthRoute(exchange, services);
            case METRICS -> new MetricsRoute(exchange, services);
            case ADMIN -> new ApiRoute(exchange, services);
            case PUBLIC -> new PublicRoute(exchange, services);
            case METHOD_NOT_ALLOWED -> NoRoute.methodNotAllowed(exchange);
            case NOT_FOUND -> NoRoute.notFound(exchange);
        };
    }
}
