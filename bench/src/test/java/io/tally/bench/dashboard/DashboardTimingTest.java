package io.tally.bench.dashboard;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DashboardTimingTest
{
    @Test
    void aStatsRequestIsNamedByItsReportAnyOtherByItsPath()
    {
        assertEquals("kpis", DashboardTiming.report("http://127.0.0.1:8080/api/v1/stats/shop.example/kpis?period=30d"));
        assertEquals("sources", DashboardTiming.report("http://127.0.0.1:8080/api/v1/stats/shop.example/sources"));
        assertEquals("/api/v1/access", DashboardTiming.report("http://127.0.0.1:8080/api/v1/access"));
    }
}
