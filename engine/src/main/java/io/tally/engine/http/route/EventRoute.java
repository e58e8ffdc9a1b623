package io.tally.engine.http.route;

import io.tally.codec.Outcome;
import io.tally.engine.http.GatheredBody;
import io.tally.engine.http.HttpServices;
import io.tally.engine.ingest.IngestResult;
import io.tally.engine.metrics.Endpoint;

/** {@code POST /api/event}: a browser's beacon, decoded from the gathered body by the thread's ingestor. */
public final class EventRoute implements RouteHandler
{
    private final Exchange exchange;
    private final HttpServices http;

    public EventRoute(final Exchange exchange, final HttpServices http)
    {
        this.exchange = exchange;
        this.http = http;
    }

    @Override
    public Body body()
    {
        return Body.GATHERED;
    }

    @Override
    public void onRead()
    {
        final GatheredBody body = exchange.body();
        final IngestResult result;
        try
        {
            result = http.ingestors().get().ingest(body.buffer(), body.from(), body.to(), exchange.client(),
                exchange.request().userAgent());
        }
        finally
        {
            body.release();
        }
        http.counters().record(Endpoint.EVENT, result.outcome());
        if (result.outcome() == Outcome.ACCEPTED)
        {
            exchange.accepted(result.dropped());
        }
        else
        {
            exchange.refuse(result.outcome(), result.detail(), result.retryAfterSeconds());
        }
    }
}
