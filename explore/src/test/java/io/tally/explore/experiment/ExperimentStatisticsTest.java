package io.tally.explore.experiment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statistics against values computed independently with SciPy 1.17.1 (Python 3), not with the formulas of the
 * code under test:
 * <ul>
 * <li>Wilson: the interval's ends are the roots of {@code (x/n - p)^2 = z^2 p (1 - p) / n} found numerically with
 * {@code scipy.optimize.brentq(f, a, b, xtol=1e-15, rtol=1e-15)}, {@code z = scipy.stats.norm.ppf(0.975)};</li>
 * <li>two proportions: {@code scipy.stats.chi2_contingency([[x1, n1-x1], [x2, n2-x2]], correction=False)}, whose
 * p-value equals the pooled two-sided z-test's, and {@code z = sign(p1 - p2) * sqrt(chi2)};</li>
 * <li>sample ratio: {@code scipy.stats.chisquare(observed, f_exp=[total * w / sum(w) for w in weights])}.</li>
 * </ul>
 */
class ExperimentStatisticsTest
{
    private static final double CLOSE = 1e-12;

    @Test
    void theNormalQuantileIsScipys()
    {
        assertEquals(1.959963984540054, ExperimentStatistics.Z95, CLOSE);
    }

    @Test
    void wilsonIntervalsAreTheRootsOfTheScoreEquation()
    {
        assertInterval(0.03379951228563171, 0.05968283793622345, ExperimentStatistics.wilson(45, 1000));
        assertInterval(0.0, 0.07134759913335872, ExperimentStatistics.wilson(0, 50));
        assertInterval(0.9286524008666412, 1.0, ExperimentStatistics.wilson(50, 50));
        assertInterval(0.29143795714506004, 0.7679393219046169, ExperimentStatistics.wilson(7, 13));
        assertInterval(0.0, 1.0, ExperimentStatistics.wilson(0, 0));
    }

    @Test
    void twoProportionZTestsEqualThe2x2ChiSquareTest()
    {
        assertZ(1.429300849823232, 0.15291778186394195, ExperimentStatistics.twoProportions(120, 1000, 100, 1000));
        assertZ(-2.6439004879552086, 0.008195674710326789, ExperimentStatistics.twoProportions(30, 500, 55, 520));
        assertZ(1.721627137332587, 0.08513708401775273, ExperimentStatistics.twoProportions(3, 40, 0, 38));
        assertTrue(Double.isNaN(ExperimentStatistics.twoProportions(0, 40, 0, 38).pValue()), "no conversions: no test");
        assertTrue(Double.isNaN(ExperimentStatistics.twoProportions(0, 0, 3, 38).pValue()), "no visitors: no test");
    }

    @Test
    void sampleRatioMismatchIsAChiSquareTestAgainstTheIntendedSplit()
    {
        assertSplit(3.9215686274509802, 0.0476703806561615, false, new long[] {5000, 5200}, new double[] {1, 1});
        assertSplit(20.0, 4.539992976248486e-05, true, new long[] {1000, 1100, 900}, new double[] {1, 1, 1});
        assertSplit(4.083333333333334, 0.12981217685543797, false, new long[] {5100, 2950, 1950}, new double[] {50, 30, 20});
        assertSplit(12.195121951219512, 0.00047914643458730067, true, new long[] {10000, 10500}, new double[] {1, 1});
    }

    private static void assertInterval(final double low, final double high, final ExperimentStatistics.Interval interval)
    {
        assertEquals(low, interval.low(), CLOSE, "low");
        assertEquals(high, interval.high(), CLOSE, "high");
    }

    private static void assertZ(final double z, final double p, final ExperimentStatistics.ZTest test)
    {
        assertEquals(z, test.z(), 1e-9, "z");
        assertEquals(p, test.pValue(), 1e-9 * p, "p-value");
    }

    private static void assertSplit(final double chiSquare, final double p, final boolean mismatch, final long[] observed,
        final double[] weights)
    {
        final ExperimentStatistics.SampleRatio split = ExperimentStatistics.sampleRatio(observed, weights);
        assertEquals(chiSquare, split.chiSquare(), 1e-9, "chi-square");
        assertEquals(p, split.pValue(), 1e-9 * p, "p-value");
        assertEquals(observed.length - 1, split.degreesOfFreedom());
        if (mismatch)
        {
            assertTrue(split.mismatch());
        }
        else
        {
            assertFalse(split.mismatch());
        }
    }
}
