package io.tally.explore.experiment;

import io.tally.explore.EventQueries;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment over the event store. A visitor's variant is the value of the variant dimension (a property, or a
 * parameter of the page's URL) on their first event that has one; they convert when they match the goal at or after
 * that event. Robots' events are left out. DuckDB counts visitors and converted visitors per variant; the statistics
 * are {@link ExperimentStatistics}'.
 */
public final class ExperimentQuery
{
    /** Variants in an answer (the control first, then most visitors first); more are only counted. */
    public static final int MAX_VARIANTS = 50;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final MathContext P_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

    /** What to compare: the variant dimension (a property key, or a URL parameter), the goal, the control, the split. */
    public record Definition(boolean urlParameter, String key, String goal, String control, Map<String, BigDecimal> weights)
    {
    }

    private record Variant(String name, long visitors, long conversions)
    {
    }

    private final EventQueries queries;
    private final int maxVariants;

    public ExperimentQuery(final EventQueries queries)
    {
        this(queries, MAX_VARIANTS);
    }

    /** Listing at most {@code maxVariants} (tests of the limit). */
    ExperimentQuery(final EventQueries queries, final int maxVariants)
    {
        this.queries = queries;
        this.maxVariants = maxVariants;
    }

    public Map<String, Object> run(final String site, final Definition definition, final long fromMillis, final long toMillis)
        throws SQLException
    {
        final long[] several = new long[1];
        final List<Variant> variants = queries.query(site, fromMillis, toMillis, sql(definition.urlParameter(), maxVariants),
            rows -> read(rows, several), parameters(definition));
        // the union keeps no order: the control first, then most visitors, then by name
        variants.sort(java.util.Comparator.comparing((Variant v) -> !v.name().equals(definition.control()))
            .thenComparing(v -> -v.visitors()).thenComparing(Variant::name));
        final boolean more = variants.size() > maxVariants;
        final List<Variant> shown = variants.subList(0, Math.min(maxVariants, variants.size()));
        final Variant control = shown.stream().filter(v -> v.name().equals(definition.control())).findFirst()
            .orElse(new Variant(definition.control(), 0, 0));
        final List<Object> rows = new ArrayList<>();
        if (shown.stream().noneMatch(v -> v.name().equals(definition.control())))
        {
            rows.add(row(control, control, true));
        }
        shown.forEach(variant -> rows.add(row(variant, control, variant == control)));
        final Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("variants", rows);
        answer.put("more_variants", more);
        final Map<String, Object> ratio = sampleRatio(shown, definition);
        answer.put("sample_ratio", ratio);
        answer.put("visitors_in_several_variants", several[0]);
        final List<Object> warnings = new ArrayList<>();
        if (Boolean.TRUE.equals(ratio.get("mismatch")))
        {
            warnings.add("sample_ratio_mismatch: a split this far from the intended one has a p-value of " +
                ratio.get("p_value") + " (below " + ExperimentStatistics.SRM_THRESHOLD +
                "): check how visitors are assigned before trusting the results");
        }
        if (control.visitors() == 0)
        {
            warnings.add("no_control: no visitor saw the control variant '" + definition.control() + "'");
        }
        answer.put("warnings", warnings);
        return answer;
    }

    /**
     * Per variant: visitors (by their first event with a variant) and those who matched the goal then or later; a last
     * row (variant NULL) counts the visitors seen with more than one variant. The control first, then most visitors.
     */
    static String sql(final boolean urlParameter, final int maxVariants)
    {
        final String variant = urlParameter ?
            "url_decode(substr(list_filter(string_split(split_part(split_part(url, '#', 1), '?', 2), '&'), " +
                "x -> starts_with(x, ? || '='))[1], length(?) + 2))" :
            "props[?]";
        return "WITH seen AS (SELECT visitor_id, time, journal_index, " + variant + " AS variant FROM events " +
            "WHERE robot IS NULL), " +
            "firsts AS (SELECT visitor_id, first(variant ORDER BY time, journal_index) AS variant, min(time) AS exposed, " +
            "count(DISTINCT variant) AS variants FROM seen WHERE variant IS NOT NULL AND variant <> '' GROUP BY visitor_id), " +
            "converted AS (SELECT DISTINCT e.visitor_id FROM events e JOIN firsts f ON e.visitor_id = f.visitor_id " +
            "WHERE e.robot IS NULL AND e.goal = ? AND e.time >= f.exposed), " +
            "counts AS (SELECT f.variant, count(*) AS visitors, count(c.visitor_id) AS conversions FROM firsts f " +
            "LEFT JOIN converted c ON f.visitor_id = c.visitor_id GROUP BY f.variant " +
            "ORDER BY (f.variant = ?) DESC, visitors DESC, f.variant LIMIT " + (maxVariants + 1) + ") " +
            "SELECT variant, visitors, conversions FROM counts " +
            "UNION ALL SELECT NULL, count(*) FILTER (WHERE variants > 1), 0 FROM firsts";
    }

    private static Object[] parameters(final Definition definition)
    {
        return definition.urlParameter() ?
            new Object[] {definition.key(), definition.key(), definition.goal(), definition.control()} :
            new Object[] {definition.key(), definition.goal(), definition.control()};
    }

    private static List<Variant> read(final ResultSet rows, final long[] several) throws SQLException
    {
        final List<Variant> variants = new ArrayList<>();
        while (rows.next())
        {
            if (rows.getString(1) == null)
            {
                several[0] = rows.getLong(2);
            }
            else
            {
                variants.add(new Variant(rows.getString(1), rows.getLong(2), rows.getLong(3)));
            }
        }
        return variants;
    }

    private static Map<String, Object> row(final Variant variant, final Variant control, final boolean isControl)
    {
        final ExperimentStatistics.Interval interval = ExperimentStatistics.wilson(variant.conversions(), variant.visitors());
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("variant", variant.name());
        row.put("control", isControl);
        row.put("visitors", variant.visitors());
        row.put("conversions", variant.conversions());
        row.put("conversion_rate", percent(variant.visitors() == 0 ? 0 : (double)variant.conversions() / variant.visitors()));
        row.put("conversion_rate_low", percent(interval.low()));
        row.put("conversion_rate_high", percent(interval.high()));
        if (isControl)
        {
            row.put("lift", null);
            row.put("z", null);
            row.put("p_value", null);
            row.put("significant", null);
            return row;
        }
        final boolean liftDefined = control.conversions() > 0 && variant.visitors() > 0;
        row.put("lift", liftDefined ? percent((double)variant.conversions() * control.visitors() /
            ((double)control.conversions() * variant.visitors()) - 1) : null);
        final ExperimentStatistics.ZTest test = ExperimentStatistics.twoProportions(variant.conversions(), variant.visitors(),
            control.conversions(), control.visitors());
        row.put("z", Double.isNaN(test.z()) ? null : BigDecimal.valueOf(test.z()).setScale(4, RoundingMode.HALF_EVEN));
        row.put("p_value", Double.isNaN(test.pValue()) ? null : pValue(test.pValue()));
        row.put("significant", Double.isNaN(test.pValue()) ? null : test.pValue() < 0.05);
        return row;
    }

    /** The chi-square test of the split: against the declared weights, or an equal split of the variants seen. */
    private static Map<String, Object> sampleRatio(final List<Variant> variants, final Definition definition)
    {
        final List<String> names = new ArrayList<>();
        final List<Double> weights = new ArrayList<>();
        if (definition.weights().isEmpty())
        {
            variants.forEach(v -> names.add(v.name()));
            variants.forEach(v -> weights.add(1.0));
        }
        else
        {
            definition.weights().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
            {
                names.add(entry.getKey());
                weights.add(entry.getValue().doubleValue());
            });
        }
        final long[] observed = new long[names.size()];
        for (int i = 0; i < names.size(); i++)
        {
            final String name = names.get(i);
            observed[i] = variants.stream().filter(v -> v.name().equals(name)).mapToLong(Variant::visitors).sum();
        }
        final ExperimentStatistics.SampleRatio test = ExperimentStatistics.sampleRatio(observed,
            weights.stream().mapToDouble(Double::doubleValue).toArray());
        final Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("against", definition.weights().isEmpty() ? "equal split of the variants seen" : "declared weights");
        answer.put("variants", names);
        answer.put("chi_square", BigDecimal.valueOf(test.chiSquare()).setScale(4, RoundingMode.HALF_EVEN));
        answer.put("degrees_of_freedom", test.degreesOfFreedom());
        answer.put("p_value", pValue(test.pValue()));
        answer.put("mismatch", test.mismatch());
        return answer;
    }

    /** A proportion as a percent with 2 decimals. */
    private static BigDecimal percent(final double proportion)
    {
        return BigDecimal.valueOf(proportion).multiply(HUNDRED).setScale(2, RoundingMode.HALF_EVEN);
    }

    /** A p-value to 6 significant digits, written without an exponent. */
    private static BigDecimal pValue(final double p)
    {
        return new BigDecimal(p).round(P_DIGITS);
    }
}
