package io.tally.engine.http.route;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tally.engine.http.HttpServices;
import io.tally.engine.http.Responses;
import io.tally.engine.ingest.IngestResult;
import io.tally.engine.ingest.NdjsonBatch;
import io.tally.engine.metrics.Endpoint;

/**
 * {@code POST /api/v1/events}: a batch of trusted events, one JSON object a line, ingested line by line as the
 * body streams in (a replay may be any length); answered with the batch's summary once it ends.
 */
public final class TrustedRoute implements RouteHandler
{
    private final Exchange exchange;
    private final HttpServices http;
    private final NdjsonBatch batch;
    private final NdjsonBatch.LineSink lines = this::ingestLine;

    public TrustedRoute(final Exchange exchange, final HttpServices http)
    {
        this.exchange = exchange;
        this.http = http;
        this.batch = new NdjsonBatch(http.maxBody());
    }

    @Override
    public Body body()
    {
        return Body.STREAMED;
    }

    @Override
    public void onHead()
    {
        batch.reset();
    }

    @Override
    public void onPiece(final ByteBuf buffer, final int from, final int to)
    {
        batch.feed(buffer, from, to, lines);
    }

    @Override
    public void onRead()
    {
        batch.finish(lines);
        final FullHttpResponse response = Responses.json(exchange.alloc(), HttpResponseStatus.valueOf(batch.status()),
            batch.summary());
        if (batch.status() == 503)
        {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, batch.retryAfterSeconds());
        }
        exchange.send(response);
    }

    private IngestResult ingestLine(final ByteBuf buffer, final int from, final int to)
    {
        final IngestResult result = http.ingestors().get().ingestTrusted(buffer, from, to, exchange.request().tokenSite(),
            exchange.client(), exchange.request().userAgent());
        http.counters().record(Endpoint.TRUSTED, result.outcome());
        return result;
    }
}
