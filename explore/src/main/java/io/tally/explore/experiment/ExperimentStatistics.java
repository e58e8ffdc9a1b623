package io.tally.explore.experiment;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * The statistics of an experiment's variants: a conversion rate's 95% Wilson score interval, the two-sided pooled
 * two-proportion z-test of a variant against the control, and the chi-square goodness-of-fit test of the visitors'
 * split against the split intended (a sample ratio mismatch). Tail probabilities are computed as tails (never as
 * {@code 1 - cdf}), so small p-values keep their precision.
 */
public final class ExperimentStatistics
{
    /** The sample ratio mismatch threshold: a split this unlikely under the intended one is a warning. */
    public static final double SRM_THRESHOLD = 0.001;
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
    /** The 97.5th percentile of the standard normal: a two-sided 95% interval. */
    static final double Z95 = NORMAL.inverseCumulativeProbability(0.975);

    /** An interval of proportions, 0 to 1. */
    public record Interval(double low, double high)
    {
    }

    /** A z-test: the score and its two-sided p-value; both NaN when undefined (no visitors, or no variance). */
    public record ZTest(double z, double pValue)
    {
    }

    /** A goodness-of-fit test: the chi-square statistic, its p-value, and whether it is below {@link #SRM_THRESHOLD}. */
    public record SampleRatio(double chiSquare, int degreesOfFreedom, double pValue, boolean mismatch)
    {
    }

    private ExperimentStatistics()
    {
    }

    /** The 95% Wilson score interval of {@code conversions} in {@code visitors}; 0 to 1 when there are no visitors. */
    public static Interval wilson(final long conversions, final long visitors)
    {
        if (visitors == 0)
        {
            return new Interval(0, 1);
        }
        final double n = visitors;
        final double p = conversions / n;
        final double z2 = Z95 * Z95;
        final double denominator = 1 + z2 / n;
        final double centre = (p + z2 / (2 * n)) / denominator;
        final double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** The pooled two-proportion z-test of {@code x1} in {@code n1} against {@code x2} in {@code n2}, two-sided. */
    public static ZTest twoProportions(final long x1, final long n1, final long x2, final long n2)
    {
        if (n1 == 0 || n2 == 0)
        {
            return new ZTest(Double.NaN, Double.NaN);
        }
        final double pooled = (double)(x1 + x2) / (n1 + n2);
        final double standardError = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (standardError == 0)
        {
            return new ZTest(Double.NaN, Double.NaN);
        }
        final double z = ((double)x1 / n1 - (double)x2 / n2) / standardError;
        return new ZTest(z, 2 * NORMAL.cumulativeProbability(-Math.abs(z)));
    }

    /**
     * The chi-square test of {@code observed} visitors against a split in proportion to {@code weights} (the same
     * length, positive), with {@code observed.length - 1} degrees of freedom.
     */
    public static SampleRatio sampleRatio(final long[] observed, final double[] weights)
    {
        long total = 0;
        double weightSum = 0;
        for (int i = 0; i < observed.length; i++)
        {
            total += observed[i];
            weightSum += weights[i];
        }
        final int freedom = observed.length - 1;
        if (total == 0 || freedom < 1)
        {
            return new SampleRatio(0, Math.max(freedom, 0), 1, false);
        }
        double chiSquare = 0;
        for (int i = 0; i < observed.length; i++)
        {
            final double expected = total * weights[i] / weightSum;
            chiSquare += (observed[i] - expected) * (observed[i] - expected) / expected;
        }
        final double pValue = Gamma.regularizedGammaQ(freedom / 2.0, chiSquare / 2.0);
        return new SampleRatio(chiSquare, freedom, pValue, pValue < SRM_THRESHOLD);
    }
}
