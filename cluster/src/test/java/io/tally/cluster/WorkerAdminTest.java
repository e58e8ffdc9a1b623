package io.tally.cluster;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which admin requests a worker refuses: changes of the sites and of a site's goals, nothing else. */
class WorkerAdminTest
{
    @Test
    void changesOfSitesAndGoalsAreRefused()
    {
        assertTrue(WorkerAdmin.refused(HttpMethod.POST, "/api/v1/sites"));
        assertTrue(WorkerAdmin.refused(HttpMethod.PUT, "/api/v1/sites/shop.example"));
        assertTrue(WorkerAdmin.refused(HttpMethod.DELETE, "/api/v1/sites/shop.example"));
        assertTrue(WorkerAdmin.refused(HttpMethod.POST, "/api/v1/sites/shop.example/goals"));
        assertTrue(WorkerAdmin.refused(HttpMethod.DELETE, "/api/v1/sites/shop.example/goals/Signup"));
        assertTrue(WorkerAdmin.refused(HttpMethod.POST, "/api/v1/sites/shop.example/goals/Signup/backfill?from=2026-12-01"));
    }

    @Test
    void readsAndOtherRoutesGoOn()
    {
        assertFalse(WorkerAdmin.refused(HttpMethod.GET, "/api/v1/sites"));
        assertFalse(WorkerAdmin.refused(HttpMethod.GET, "/api/v1/sites/shop.example/goals"));
        assertFalse(WorkerAdmin.refused(HttpMethod.POST, "/api/v1/sites/shop.example/tokens"));
        assertFalse(WorkerAdmin.refused(HttpMethod.POST, "/api/v1/sites/shop.example/shares"));
        assertFalse(WorkerAdmin.refused(HttpMethod.POST, "/api/v1/sitesmap"));
        assertFalse(WorkerAdmin.refused(HttpMethod.POST, "/api/v1/backup"));
    }
}
