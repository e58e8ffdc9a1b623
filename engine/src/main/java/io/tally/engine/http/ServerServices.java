package io.tally.engine.http;

import io.tally.engine.EngineConfig;
import io.tally.engine.api.ApiHandler;
import io.tally.engine.api.ApiServices;

import java.util.function.UnaryOperator;
import io.tally.engine.metrics.EngineReadings;

/**
 * What the server is handed to run: its settings, what each connection's handler uses, what the API uses, and what
 * the whole-engine reports read. Made once by the engine; the server sees these parts and nothing else of it.
 *
 * @param apiFront      what answers the API before the engine's own (hands it the requests it does not take).
 * @param startDraining tells the engine it is shutting down: from then on it refuses events and says so in
 *                      {@code /healthz}. The server calls it first when it is closed.
 * @param ingests       whether the server takes events ({@code /api/event}, {@code /api/v1/events}); a cluster's
 *                      rollup worker does not: it answers them 404 {@code not_an_ingest_node}.
 */
public record ServerServices(EngineConfig config, HttpServices http, ApiServices api, EngineReadings readings,
    Runnable startDraining, UnaryOperator<ApiHandler> apiFront, boolean ingests)
{
    public ServerServices(final EngineConfig config, final HttpServices http, final ApiServices api,
        final EngineReadings readings, final Runnable startDraining)
    {
        this(config, http, api, readings, startDraining, ApiHandler.AS_IS, true);
    }

    /** The same, with {@code front} put before the engine's API (it may hand requests on to it). */
    public ServerServices withApiFront(final UnaryOperator<ApiHandler> front)
    {
        return new ServerServices(config, http, api, readings, startDraining, front, ingests);
    }

    /** The same, refusing events: for a server whose rollups are counted from elsewhere (a rollup worker). */
    public ServerServices withoutIngest()
    {
        return new ServerServices(config, http, api, readings, startDraining, apiFront, false);
    }
}
