package io.tally.cluster;

import io.tally.codec.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StatsMergeTest
{
    @Test
    void kpisAddAndRatesAreMadeAgainFromTheSums()
    {
        final Map<String, Object> a = Json.parseObject("{\"site\":\"s\",\"visitors\":10,\"pageviews\":30,\"events\":4,\"sessions\":12," +
            "\"conversions\":2,\"conversion_rate\":20.00,\"revenue\":[{\"currency\":\"EUR\",\"amount\":\"1.50\"}],\"visits\":12," +
            "\"bounce_rate\":50.00,\"visit_duration\":10,\"views_per_visit\":2.50," +
            "\"previous\":{\"visitors\":1,\"pageviews\":1,\"events\":0,\"sessions\":1,\"revenue\":[],\"visits\":1,\"bounce_rate\":100.00," +
            "\"visit_duration\":0,\"views_per_visit\":1.00}}");
        final Map<String, Object> b = Json.parseObject("{\"site\":\"s\",\"visitors\":30,\"pageviews\":50,\"events\":6,\"sessions\":36," +
            "\"conversions\":6,\"conversion_rate\":20.00,\"revenue\":[{\"currency\":\"EUR\",\"amount\":\"2.25\"}," +
            "{\"currency\":\"USD\",\"amount\":\"3\"}],\"visits\":36,\"bounce_rate\":25.00,\"visit_duration\":30,\"views_per_visit\":1.00," +
            "\"previous\":{\"visitors\":3,\"pageviews\":3,\"events\":0,\"sessions\":3,\"revenue\":[],\"visits\":3,\"bounce_rate\":0.00," +
            "\"visit_duration\":0,\"views_per_visit\":1.00}}");
        final Map<String, Object> merged = StatsMerge.kpis(List.of(a, b));
        assertEquals(new BigDecimal(40), merged.get("visitors"));
        assertEquals(new BigDecimal(80), merged.get("pageviews"));
        assertEquals(new BigDecimal(8), merged.get("conversions"));
        assertEquals(new BigDecimal("20.00"), merged.get("conversion_rate"));
        assertEquals("[{\"currency\":\"EUR\",\"amount\":\"3.75\"},{\"currency\":\"USD\",\"amount\":\"3\"}]",
            Json.write(merged.get("revenue")));
        assertEquals(new BigDecimal("31.25"), merged.get("bounce_rate"), "(50 * 12 + 25 * 36) / 48");
        assertEquals(new BigDecimal("25"), merged.get("visit_duration"), "(10 * 12 + 30 * 36) / 48");
        assertEquals(new BigDecimal("25.00"), ((Map<?, ?>)merged.get("previous")).get("bounce_rate"));
        assertEquals(new BigDecimal(4), ((Map<?, ?>)merged.get("previous")).get("visitors"));
    }

    @Test
    void goalsAddByNameWithRatesOverTheClustersVisitors()
    {
        final Map<String, Object> a = Json.parseObject("{\"goals\":[{\"name\":\"Signup\",\"kind\":\"custom\",\"conversions\":3," +
            "\"visitors\":2,\"conversion_rate\":20.00,\"matches\":3,\"value\":[],\"weight\":3,\"revenue\":[]," +
            "\"time_to_conversion\":{\"p50_seconds\":1.0,\"p90_seconds\":2.0}}]}");
        final Map<String, Object> b = Json.parseObject("{\"goals\":[{\"name\":\"Signup\",\"kind\":\"custom\",\"conversions\":5," +
            "\"visitors\":4,\"conversion_rate\":40.00,\"matches\":6,\"value\":[{\"currency\":\"EUR\",\"amount\":\"5\"}],\"weight\":6," +
            "\"revenue\":[],\"time_to_conversion\":{\"p50_seconds\":1.0,\"p90_seconds\":2.0}}]}");
        final Map<?, ?> row = (Map<?, ?>)((List<?>)StatsMerge.goals(List.of(a, b), new BigDecimal(20)).get("goals")).get(0);
        assertEquals(new BigDecimal(8), row.get("conversions"));
        assertEquals(new BigDecimal(6), row.get("visitors"));
        assertEquals(new BigDecimal(9), row.get("matches"));
        assertEquals(new BigDecimal("30.00"), row.get("conversion_rate"));
        assertEquals("[{\"currency\":\"EUR\",\"amount\":\"5\"}]", Json.write(row.get("value")));
        assertNull(row.get("time_to_conversion"), "percentiles do not add");
    }
}
