package io.tally.engine.http;

import io.tally.engine.audience.AudienceClassifier;
import io.tally.engine.identity.AddressRanges;
import io.tally.engine.ingest.EventIngestor;
import io.tally.engine.limit.Limiters;
import io.tally.engine.metrics.IngestCounters;
import io.tally.engine.metrics.RequestMetrics;
import io.tally.engine.site.SiteTokens;
import io.tally.store.state.FreeSpace;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a connection's handler uses of the engine, handed in when the connection opens: the HTTP layer sees
 * these and nothing else.
 *
 * @param ingestors the calling I/O thread's ingestor (each thread has its own, with its own journal appender).
 * @param draining  whether the engine is shutting down: requests are then refused and connections closed.
 * @param audiences  classifies a beacon's new User-Agent off the event loop before the beacon is ingested.
 */
public record HttpServices(int maxBody, int maxHeaderBytes, Duration readTimeout, AddressRanges trustedProxies, SiteTokens siteTokens,
    Limiters limiters, Supplier<EventIngestor> ingestors, BooleanSupplier draining, IngestCounters counters,
    RequestMetrics requestMetrics, FreeSpace freeSpace, AudienceClassifier audiences)
{
}
