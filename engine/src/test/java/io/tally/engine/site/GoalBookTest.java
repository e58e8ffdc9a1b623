package io.tally.engine.site;

import io.tally.codec.json.Json;
import io.tally.matcher.Goal;
import io.tally.matcher.GoalJson;
import io.tally.store.state.StateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GoalBookTest
{
    @TempDir
    Path dataDir;

    private static Goal goal(final int i)
    {
        return GoalJson.read(Json.parse("{\"name\":\"G" + i + "\",\"type\":\"custom\"," +
            "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"E" + i + "\"}]}"));
    }

    @Test
    void aSiteTakesGoalsUpToTheLimitAndRefusesOnePast()
    {
        final GoalBook book = new GoalBook(new StateFiles(dataDir), List.of(new Site("shop.example")), Map.of(), 3);
        for (int i = 0; i < 3; i++)
        {
            book.add("shop.example", goal(i));
        }
        final RefusedChange past = assertThrows(RefusedChange.class,
            () -> book.add("shop.example", goal(3)));
        assertEquals(400, past.status());
        assertEquals("too_many_goals", past.code());
        assertEquals(3, book.goals("shop.example").size());
        assertEquals(3, new GoalBook(new StateFiles(dataDir), List.of(new Site("shop.example")), Map.of()).goals("shop.example").size(),
            "the refused goal was not saved either");
    }
}
