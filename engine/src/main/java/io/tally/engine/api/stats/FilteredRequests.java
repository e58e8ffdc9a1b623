package io.tally.engine.api.stats;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tally.codec.json.Json;
import io.tally.engine.api.request.Answer;
import io.tally.engine.api.request.InvalidRequestException;
import io.tally.engine.metrics.MetricFamilies;
import io.tally.engine.metrics.MetricSource;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The stats requests with {@code filters}: the reports that answer them (null while the event store is off) and
 * how they ended, in {@code /metrics} as {@code tally_filtered_requests_total{outcome}}: {@code answered},
 * {@code invalid} (a 400: filters or a parameter that cannot be read), {@code event_store_off} (a 409).
 */
public final class FilteredRequests implements MetricSource
{
    private final LongAdder answered = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final LongAdder storeOff = new LongAdder();
    private volatile FilteredReports reports;

    /** Hands in the reports (once the event store runs). */
    public void use(final FilteredReports reports)
    {
        this.reports = reports;
    }

    /** The reports; null while the event store is off. */
    public FilteredReports reports()
    {
        return reports;
    }

    /** What a filtered report puts into its answer, read from the reports. */
    @FunctionalInterface
    interface Report
    {
        void fill(FilteredReports reports);
    }

    /**
     * Answers a request under {@code filters}: {@code report} fills {@code body} from the event store; a 409 while the
     * store is off, a 400 {@code invalid_filters} for filters that cannot be read (an {@link InvalidRequestException}
     * goes on to its own 400); every outcome counted.
     */
    Answer answer(final Map<String, Object> body, final Report report)
    {
        final FilteredReports reports = this.reports;
        if (reports == null)
        {
            refusedStoreOff();
            return Answer.error(409, "event_store_off", "filters are answered by the event store, which is off: "
                + "start tally serve with --event-store true (TALLY_EVENT_STORE=true)");
        }
        try
        {
            report.fill(reports);
        }
        catch (final InvalidRequestException ex)
        {
            invalid();
            throw ex;
        }
        catch (final IllegalArgumentException ex)
        {
            invalid();
            return Answer.error(400, "invalid_filters", ex.getMessage());
        }
        answered();
        return new Answer(200, Json.write(body));
    }

    public void answered()
    {
        answered.increment();
    }

    public void invalid()
    {
        invalid.increment();
    }

    public void refusedStoreOff()
    {
        storeOff.increment();
    }

    @Override
    public void addTo(final MetricSnapshots.Builder all)
    {
        all.metricSnapshot(MetricFamilies.counters("tally_filtered_requests", "stats requests with filters, by how they ended")
            .dataPoint(MetricFamilies.counterPoint(Labels.of("outcome", "answered"), answered.sum()))
            .dataPoint(MetricFamilies.counterPoint(Labels.of("outcome", "invalid"), invalid.sum()))
            .dataPoint(MetricFamilies.counterPoint(Labels.of("outcome", "event_store_off"), storeOff.sum()))
            .build());
    }
}
