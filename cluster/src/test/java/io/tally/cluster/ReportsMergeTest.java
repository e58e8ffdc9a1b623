package io.tally.cluster;

import io.tally.codec.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReportsMergeTest
{
    @Test
    void pagesAddBeforeTheCutSoAPageSecondOnEachWorkerCanLeadTheCluster() throws Exception
    {
        final Map<String, Object> a = Json.parseObject("{\"site\":\"s\",\"pages\":[" +
            "{\"page\":\"/a\",\"visitors\":5,\"visits\":5,\"pageviews\":10,\"time_on_page\":7,\"scroll_depth\":50}," +
            "{\"page\":\"/both\",\"visitors\":4,\"visits\":4,\"pageviews\":8,\"time_on_page\":3,\"scroll_depth\":40}]}");
        final Map<String, Object> b = Json.parseObject("{\"site\":\"s\",\"pages\":[" +
            "{\"page\":\"/b\",\"visitors\":6,\"visits\":6,\"pageviews\":9,\"time_on_page\":null,\"scroll_depth\":null}," +
            "{\"page\":\"/both\",\"visitors\":2,\"visits\":3,\"pageviews\":7,\"time_on_page\":5,\"scroll_depth\":40}]}");
        final Map<String, Object> merged = ReportsMerge.merge("pages", List.of(a, b), 2, 1);
        assertEquals("[{\"page\":\"/both\",\"visitors\":6,\"visits\":7,\"pageviews\":15,\"time_on_page\":null," +
            "\"scroll_depth\":40},{\"page\":\"/a\",\"visitors\":5,\"visits\":5,\"pageviews\":10,\"time_on_page\":7," +
            "\"scroll_depth\":50}]", Json.write(merged.get("pages")),
            "summed, sorted, then cut; an average kept only where the workers agree");
    }

    @Test
    void eventNamesArePagedOverTheMergedList() throws Exception
    {
        final Map<String, Object> a = Json.parseObject("{\"events\":[{\"name\":\"x\",\"events\":3,\"visitors\":2}," +
            "{\"name\":\"y\",\"events\":1,\"visitors\":1}],\"labels\":[{\"label\":\"l\",\"events\":2}],\"actions\":[]," +
            "\"categories\":[]}");
        final Map<String, Object> b = Json.parseObject("{\"events\":[{\"name\":\"z\",\"events\":2,\"visitors\":2}," +
            "{\"name\":\"y\",\"events\":2,\"visitors\":2}],\"labels\":[{\"label\":\"l\",\"events\":1}],\"actions\":[]," +
            "\"categories\":[{\"category\":\"c\",\"events\":4}]}");
        final Map<String, Object> second = ReportsMerge.merge("events", List.of(a, b), 2, 2);
        assertEquals("[{\"name\":\"z\",\"events\":2,\"visitors\":2}]", Json.write(second.get("events")),
            "x 3, y 3, z 2: ties go by name");
        assertEquals(3, second.get("total_rows"));
        assertEquals(false, second.get("has_next_page"));
        assertEquals("[{\"label\":\"l\",\"events\":3}]", Json.write(second.get("labels")));
        assertEquals("[{\"category\":\"c\",\"events\":4}]", Json.write(second.get("categories")));
        assertThrows(ReportsMerge.PageTooFar.class, () -> ReportsMerge.merge("events", List.of(a, b), 2, 3));
    }

    @Test
    void countriesAddWithTheUnknownAndRatesMadeAgain() throws Exception
    {
        final Map<String, Object> a = Json.parseObject("{\"geoip\":{\"loaded\":true},\"countries\":[{\"country\":\"DE\"," +
            "\"visitors\":4,\"pageviews\":5,\"conversions\":1,\"converting_visitors\":1,\"conversion_rate\":25.00}]," +
            "\"unknown\":{\"visitors\":1,\"pageviews\":1,\"conversions\":0,\"converting_visitors\":0,\"conversion_rate\":0}}");
        final Map<String, Object> b = Json.parseObject("{\"geoip\":{\"loaded\":true},\"countries\":[{\"country\":\"DE\"," +
            "\"visitors\":4,\"pageviews\":4,\"conversions\":2,\"converting_visitors\":2,\"conversion_rate\":50.00}," +
            "{\"country\":\"FR\",\"visitors\":9,\"pageviews\":9,\"conversions\":0,\"converting_visitors\":0," +
            "\"conversion_rate\":0}],\"unknown\":{\"visitors\":3,\"pageviews\":3,\"conversions\":1," +
            "\"converting_visitors\":1,\"conversion_rate\":33.33}}");
        final Map<String, Object> merged = ReportsMerge.merge("countries", List.of(a, b), null, 1);
        assertEquals("[{\"country\":\"FR\",\"visitors\":9,\"pageviews\":9,\"conversions\":0,\"converting_visitors\":0," +
            "\"conversion_rate\":0.00},{\"country\":\"DE\",\"visitors\":8,\"pageviews\":9,\"conversions\":3," +
            "\"converting_visitors\":3,\"conversion_rate\":37.50}]", Json.write(merged.get("countries")));
        assertEquals("{\"visitors\":4,\"pageviews\":4,\"conversions\":1,\"converting_visitors\":1,\"conversion_rate\":25.00}",
            Json.write(merged.get("unknown")));
    }

    @Test
    void timeSeriesPointsAddByTheirStart() throws Exception
    {
        final Map<String, Object> a = Json.parseObject("{\"metric\":\"visitors\",\"interval\":\"day\",\"points\":[" +
            "{\"start\":\"2026-12-06\",\"value\":3},{\"start\":\"2026-12-07\",\"value\":0}]}");
        final Map<String, Object> b = Json.parseObject("{\"metric\":\"visitors\",\"interval\":\"day\",\"points\":[" +
            "{\"start\":\"2026-12-06\",\"value\":2},{\"start\":\"2026-12-07\",\"value\":5}]}");
        final Map<String, Object> merged = ReportsMerge.merge("timeseries", List.of(a, b), null, 1);
        assertEquals("[{\"start\":\"2026-12-06\",\"value\":5},{\"start\":\"2026-12-07\",\"value\":5}]",
            Json.write(merged.get("points")), "oldest first, as one node answers");
        assertEquals("visitors", merged.get("metric"));
    }

    @Test
    void exitPagesAddTheirExitsAndTheRateIsMadeAgainFromEveryWorkersPageviews() throws Exception
    {
        // worker a: /a left 3 times in 4 views, /b viewed 6 times and never left; worker b: /b left 4 times in 5 views
        final Map<String, Object> a = Json.parseObject("{\"exit_pages\":[{\"page\":\"/a\",\"visitors\":3,\"exits\":3," +
            "\"pageviews\":4,\"exit_rate\":75.00}]}");
        final Map<String, Object> b = Json.parseObject("{\"exit_pages\":[{\"page\":\"/b\",\"visitors\":4,\"exits\":4," +
            "\"pageviews\":5,\"exit_rate\":80.00},{\"page\":\"/a\",\"visitors\":1,\"exits\":1,\"pageviews\":8," +
            "\"exit_rate\":12.50}]}");
        final List<Map<String, Object>> pages = List.of(
            Json.parseObject("{\"pages\":[{\"page\":\"/b\",\"visitors\":2,\"visits\":2,\"pageviews\":6}," +
                "{\"page\":\"/a\",\"visitors\":3,\"visits\":3,\"pageviews\":4}]}"),
            Json.parseObject("{\"pages\":[{\"page\":\"/a\",\"visitors\":1,\"visits\":1,\"pageviews\":8}," +
                "{\"page\":\"/b\",\"visitors\":4,\"visits\":4,\"pageviews\":5}]}"));
        final Map<String, Object> first = ReportsMerge.merge("exit_pages", List.of(a, b), 1, 1);
        ReportsMerge.exitRates(first, pages);
        assertEquals("[{\"page\":\"/a\",\"visitors\":4,\"exits\":4,\"pageviews\":12,\"exit_rate\":33.33}]",
            Json.write(first.get("exit_pages")), "4 exits each: the tie goes by page, then the cut");
        final Map<String, Object> both = ReportsMerge.merge("exit_pages", List.of(a, b), 5, 1);
        ReportsMerge.exitRates(both, pages);
        assertEquals("[{\"page\":\"/a\",\"visitors\":4,\"exits\":4,\"pageviews\":12,\"exit_rate\":33.33}," +
            "{\"page\":\"/b\",\"visitors\":4,\"exits\":4,\"pageviews\":11,\"exit_rate\":36.36}]",
            Json.write(both.get("exit_pages")));
        final Map<String, Object> unknown = ReportsMerge.merge("exit_pages", List.of(a, b), 5, 1);
        ReportsMerge.exitRates(unknown, List.of(Json.parseObject("{\"pages\":[]}")));
        assertEquals("[{\"page\":\"/a\",\"visitors\":4,\"exits\":4,\"pageviews\":12,\"exit_rate\":33.33}," +
            "{\"page\":\"/b\",\"visitors\":4,\"exits\":4,\"pageviews\":5,\"exit_rate\":80.00}]",
            Json.write(unknown.get("exit_pages")), "a page outside the pages' rows keeps the exit rows' own pageviews");
    }

    @Test
    void browsersAddByNameAndTheirVersionsByVersion() throws Exception
    {
        final Map<String, Object> a = Json.parseObject("{\"browsers\":[{\"browser\":\"Firefox\",\"visitors\":2," +
            "\"pageviews\":3,\"conversions\":0,\"versions\":[{\"version\":\"120\",\"visitors\":2,\"pageviews\":3," +
            "\"conversions\":0}]},{\"browser\":\"Chrome\",\"visitors\":1,\"pageviews\":1,\"conversions\":1," +
            "\"versions\":[{\"version\":\"119\",\"visitors\":1,\"pageviews\":1,\"conversions\":1}]}]}");
        final Map<String, Object> b = Json.parseObject("{\"browsers\":[{\"browser\":\"Chrome\",\"visitors\":3," +
            "\"pageviews\":3,\"conversions\":0,\"versions\":[{\"version\":\"120\",\"visitors\":2,\"pageviews\":2," +
            "\"conversions\":0},{\"version\":\"119\",\"visitors\":1,\"pageviews\":1,\"conversions\":0}]}]}");
        final Map<String, Object> merged = ReportsMerge.merge("browsers", List.of(a, b, Json.parseObject("{}")), null, 1);
        assertEquals("[{\"browser\":\"Chrome\",\"visitors\":4,\"pageviews\":4,\"conversions\":1,\"versions\":[" +
            "{\"version\":\"119\",\"visitors\":2,\"pageviews\":2,\"conversions\":1},{\"version\":\"120\",\"visitors\":2," +
            "\"pageviews\":2,\"conversions\":0}]},{\"browser\":\"Firefox\",\"visitors\":2,\"pageviews\":3," +
            "\"conversions\":0,\"versions\":[{\"version\":\"120\",\"visitors\":2,\"pageviews\":3,\"conversions\":0}]}]",
            Json.write(merged.get("browsers")));
        final Map<String, Object> devices = ReportsMerge.merge("devices", List.of(
            Json.parseObject("{\"devices\":[{\"device\":\"mobile\",\"visitors\":1,\"pageviews\":2,\"conversions\":0}]}"),
            Json.parseObject("{\"devices\":[{\"device\":\"mobile\",\"visitors\":2,\"pageviews\":2,\"conversions\":1}," +
                "{\"device\":\"desktop\",\"visitors\":5,\"pageviews\":5,\"conversions\":0}]}")), null, 1);
        assertEquals("[{\"device\":\"desktop\",\"visitors\":5,\"pageviews\":5,\"conversions\":0},{\"device\":\"mobile\"," +
            "\"visitors\":3,\"pageviews\":4,\"conversions\":1}]", Json.write(devices.get("devices")));
    }
}
