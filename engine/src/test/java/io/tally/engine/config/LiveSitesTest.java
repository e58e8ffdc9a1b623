package io.tally.engine.config;

import io.tally.codec.json.Json;
import io.tally.engine.limit.Limiters;
import io.tally.engine.limit.Quotas;
import io.tally.engine.site.GoalBook;
import io.tally.engine.site.RefusedChange;
import io.tally.engine.site.Site;
import io.tally.engine.site.SiteDirectory;
import io.tally.engine.site.SiteSpec;
import io.tally.store.state.StateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sites' live changes on the real parts they drive: directory, quotas, limiters, goals and the saved file. */
class LiveSitesTest
{
    private static final Limiters.Setting DEFAULTS = new Limiters.Setting(20, 40);

    @TempDir
    Path dir;

    private SiteDirectory directory;
    private Quotas quotas;
    private Limiters limiters;

    private LiveSites start(final List<Site> sites, final int maxSites)
    {
        final StateFiles files = new StateFiles(dir);
        directory = new SiteDirectory(sites);
        quotas = new Quotas(sites, Map.of(), System.currentTimeMillis());
        limiters = new Limiters(DEFAULTS, Map.of(), 1024);
        final GoalBook goals = new GoalBook(files, sites, Map.of());
        return new LiveSites(files, configured(sites), directory, quotas, limiters, goals, maxSites);
    }

    private static LiveSites.Configured configured(final List<Site> sites)
    {
        return new LiveSites.Configured(sites, DEFAULTS, Map.of(), Map.of(), Map.of());
    }

    private static SiteSpec site(final String json)
    {
        return SiteSpec.read(Json.parse(json), "site");
    }

    @Test
    void theNumberOfSitesIsCappedAtAndPastTheCap()
    {
        final LiveSites sites = start(List.of(new Site("a.example")), 3);
        sites.put(site("{\"domain\": \"b.example\"}"));
        assertEquals("added c.example", sites.put(site("{\"domain\": \"c.example\"}")).toString(), "the third: at the cap");
        final RefusedChange past = assertThrows(RefusedChange.class,
            () -> sites.put(site("{\"domain\": \"d.example\"}")));
        assertEquals("too_many_sites", past.code());
        assertEquals(409, past.status());
        assertNull(directory.findByName("d.example"));
        assertEquals(List.of("a.example", "b.example", "c.example"), sites.domains());
        assertEquals("changed c.example", sites.put(site("{\"domain\": \"c.example\", \"time_zone\": \"Asia/Tokyo\"}")).toString(),
            "a change at the cap is no new site");
        sites.remove("b.example");
        sites.put(site("{\"domain\": \"d.example\"}"));
        assertNotNull(directory.findByName("d.example"), "room again once one was removed");
    }

    @Test
    void aSitesLimitAndQuotaFollowItsObjectAndTheOtherOverridesStay()
    {
        final LiveSites sites = start(List.of(new Site("a.example")), 10);
        limiters.apply(DEFAULTS, Map.of("a.example", new Limiters.Setting(5, 6))); // as ./tally limits set does
        sites.put(site("{\"domain\": \"b.example\", \"ingest_rate_limit\": 100, \"monthly_quota\": 7}"));
        assertEquals(Map.of("a.example", new Limiters.Setting(5, 6), "b.example", new Limiters.Setting(100, 40)),
            limiters.overrideSettings(), "the burst left out is the default's");
        assertEquals(7, quotas.usage("b.example", System.currentTimeMillis()).quota());
        sites.put(site("{\"domain\": \"b.example\"}"));
        assertEquals(Map.of("a.example", new Limiters.Setting(5, 6)), limiters.overrideSettings());
        assertEquals(0, quotas.usage("b.example", System.currentTimeMillis()).quota());
        sites.remove("b.example");
        assertNull(quotas.usage("b.example", System.currentTimeMillis()));
    }

    @Test
    void aReloadKeepsTheApisChangesOverTheNewConfiguration() throws Exception
    {
        final LiveSites sites = start(List.of(new Site("a.example"), new Site("b.example")), 10);
        sites.put(site("{\"domain\": \"api.example\"}"));
        sites.put(site("{\"domain\": \"a.example\", \"time_zone\": \"Europe/Paris\"}"));
        sites.remove("b.example");
        final LiveSites.Changes changes = sites.reconfigure(configured(List.of(new Site("a.example"), new Site("b.example"),
            new Site("c.example", List.of(), "Asia/Tokyo"))));
        assertEquals("added c.example", changes.toString(), "b.example stays removed, a.example stays the API's");
        assertEquals("Europe/Paris", directory.findByName("a.example").timeZone());
        assertEquals("added or changed through the API: api.example, a.example; removed through the API: b.example",
            sites.apiOverrides());
        final LiveSites.Changes dropped = sites.reconfigure(configured(List.of(new Site("a.example"))));
        assertEquals("removed c.example (their data stays on disk)", dropped.toString());
        assertEquals(List.of("a.example", "api.example"), sites.domains());
        assertTrue(Files.readString(dir.resolve(LiveSites.FILE)).contains("\"removed\":[\"b.example\"]"));
    }

    @Test
    void aReloadWhoseSitesClashChangesNothing()
    {
        final LiveSites sites = start(List.of(new Site("a.example")), 10);
        sites.put(site("{\"domain\": \"api.example\", \"aliases\": [\"c.example\"]}"));
        final RefusedChange clash = assertThrows(RefusedChange.class,
            () -> sites.reconfigure(configured(List.of(new Site("a.example"), new Site("c.example")))));
        assertEquals("name_taken", clash.code());
        assertEquals(List.of("a.example", "api.example"), sites.domains());
        assertEquals("api.example", directory.findByName("c.example").domain());
    }

    @Test
    void aDamagedSavedFileIsSetAsideAndTheConfigurationStands() throws Exception
    {
        Files.writeString(dir.resolve(LiveSites.FILE), "{\"sites\": [{\"domain\": \"x.example\", \"colour\": 1}], \"removed\": []}");
        final LiveSites sites = start(List.of(new Site("a.example")), 10);
        assertEquals(List.of("a.example"), sites.domains());
        assertTrue(Files.notExists(dir.resolve(LiveSites.FILE)), "set aside for the operator");
    }
}
