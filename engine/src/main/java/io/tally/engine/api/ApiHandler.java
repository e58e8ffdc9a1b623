package io.tally.engine.api;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.engine.api.request.Answer;

import java.util.function.UnaryOperator;

/**
 * Answers a request to {@code /api/v1/...} on an API thread: the engine's
 * {@link io.tally.engine.api.admin.AdminApi}, or something in front of it (a cluster's rollup worker answers stats for
 * its peers too).
 */
@FunctionalInterface
public interface ApiHandler
{
    /** Puts nothing in front of the engine's own API. */
    UnaryOperator<ApiHandler> AS_IS = UnaryOperator.identity();

    Answer handle(HttpMethod method, String uri, String authorization, String body);
}
