package io.tally.engine.http;

import io.tally.engine.EngineConfig;
import io.tally.engine.api.ApiServices;
import io.tally.engine.metrics.EngineReadings;

/**
 * What the server is handed to run: its settings, what each connection's handler uses, what the API uses, and what
 * the whole-engine reports read. Made once by the engine; the server sees these parts and nothing else of it.
 *
 * @param startDraining tells the engine it is shutting down: from then on it refuses events and says so in
 *                      {@code /healthz}. The server calls it first when it is closed.
 */
public record ServerServices(EngineConfig config, HttpServices http, ApiServices api, EngineReadings readings,
    Runnable startDraining)
{
}
