package io.tally.engine.explore;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment: visitors split into variants by a property of their events ({@code "variant": {"property": "ab"}})
 * or a parameter of the page's URL ({@code {"url_parameter": "v"}}), a goal they convert on, the control variant, and
 * optionally the split it was meant to have ({@code "weights": {"A": 50, "B": 50}}; an equal split when absent).
 */
public record Experiment(String name, String source, String key, String goal, String control, Map<String, BigDecimal> weights)
{
    public static final String PROPERTY = "property";
    public static final String URL_PARAMETER = "url_parameter";
    /** Most variants a declared split may name. */
    public static final int MAX_WEIGHTS = 20;
    private static final List<String> FIELDS = List.of("name", "variant", "goal", "control", "weights");

    public static Experiment read(final Object json)
    {
        final Map<?, ?> object = DefinitionJson.object(json, "experiment");
        DefinitionJson.allowOnly(object, "", FIELDS);
        final String name = DefinitionJson.text(object, "", "name", DefinitionJson.MAX_NAME);
        final Map<?, ?> variant = DefinitionJson.object(object.get("variant"), "variant");
        DefinitionJson.allowOnly(variant, "variant", List.of(PROPERTY, URL_PARAMETER));
        if (variant.size() != 1)
        {
            throw new InvalidDefinitionException("variant", "give one of {\"property\": KEY} or {\"url_parameter\": NAME}");
        }
        final String source = (String)variant.keySet().iterator().next();
        final String key = DefinitionJson.text(variant, "variant", source, DefinitionJson.MAX_NAME);
        final String goal = DefinitionJson.text(object, "", "goal", DefinitionJson.MAX_NAME);
        final String control = DefinitionJson.text(object, "", "control", DefinitionJson.MAX_NAME);
        final Map<String, BigDecimal> weights = weights(object.get("weights"), control);
        return new Experiment(name, source, key, goal, control, weights);
    }

    /** The declared split: positive numbers by variant, the control among them; empty for an equal split. */
    private static Map<String, BigDecimal> weights(final Object json, final String control)
    {
        if (json == null)
        {
            return Map.of();
        }
        final Map<?, ?> object = DefinitionJson.object(json, "weights");
        if (object.size() < 2 || object.size() > MAX_WEIGHTS)
        {
            throw new InvalidDefinitionException("weights", "name 2 to " + MAX_WEIGHTS + " variants, not " + object.size());
        }
        final Map<String, BigDecimal> weights = new LinkedHashMap<>();
        object.forEach((variant, weight) ->
        {
            if (!(weight instanceof BigDecimal) || ((BigDecimal)weight).signum() <= 0)
            {
                throw new InvalidDefinitionException("weights." + variant, "must be a positive number");
            }
            weights.put((String)variant, (BigDecimal)weight);
        });
        if (!weights.containsKey(control))
        {
            throw new InvalidDefinitionException("weights", "must name the control, '" + control + "'");
        }
        return Map.copyOf(weights);
    }

    public Map<String, Object> json()
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("variant", Map.of(source, key));
        json.put("goal", goal);
        json.put("control", control);
        if (!weights.isEmpty())
        {
            json.put("weights", new LinkedHashMap<>(new java.util.TreeMap<>(weights)));
        }
        return json;
    }
}
