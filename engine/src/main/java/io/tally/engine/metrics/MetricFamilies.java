package io.tally.engine.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * The few shapes Tally's metric families take, made the same way by the engine's collector and by the
 * {@link MetricSource}s beside it: a counter or gauge family to add data points to, a point, a family of one value.
 */
public final class MetricFamilies
{
    private MetricFamilies()
    {
    }

    public static CounterSnapshot.Builder counters(final String name, final String help)
    {
        return CounterSnapshot.builder().name(name).help(help);
    }

    public static GaugeSnapshot.Builder gauges(final String name, final String help)
    {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    public static CounterSnapshot.CounterDataPointSnapshot counterPoint(final Labels labels, final double value)
    {
        return CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    public static GaugeSnapshot.GaugeDataPointSnapshot gaugePoint(final Labels labels, final double value)
    {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    /** A counter family of one unlabelled value. */
    public static CounterSnapshot counter(final String name, final String help, final long value)
    {
        return counters(name, help).dataPoint(counterPoint(Labels.EMPTY, value)).build();
    }

    /** A gauge family of one unlabelled value. */
    public static GaugeSnapshot gauge(final String name, final String help, final double value)
    {
        return gauges(name, help).dataPoint(gaugePoint(Labels.EMPTY, value)).build();
    }
}
