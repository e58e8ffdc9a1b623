package io.tally.engine.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tally.store.JournalPretoucher;

import static io.tally.engine.metrics.MetricFamilies.counter;

/** The journal pretoucher's families in {@code /metrics}: pages touched ahead of the appenders, rounds that failed. */
public final class PretouchMetrics implements MetricSource
{
    private final JournalPretoucher pretoucher;

    public PretouchMetrics(final JournalPretoucher pretoucher)
    {
        this.pretoucher = pretoucher;
    }

    @Override
    public void addTo(final MetricSnapshots.Builder all)
    {
        all.metricSnapshot(counter("tally_journal_pretouch_pages",
            "journal pages brought into memory ahead of the appenders, so a request does not take their first fault",
            pretoucher.pagesTouched()));
        all.metricSnapshot(counter("tally_journal_pretouch_failures",
            "pretouch rounds that failed (retried a second later; the appenders are not affected)", pretoucher.failures()));
    }
}
