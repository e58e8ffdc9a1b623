package io.tally.matcher;

import io.tally.codec.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The goal examples users copy from docs/goals.md are read by the same code as the API's, and cover every kind and type. */
class DocumentedGoalsTest
{
    private static final Path GOALS_DOC = Path.of("..", "docs", "goals.md");

    @Test
    void everyExampleInTheGoalsPageIsAValidGoalAndTogetherTheyCoverEveryKindAndType() throws IOException
    {
        final List<Goal> goals = new ArrayList<>();
        for (final String line : exampleLines())
        {
            goals.add(GoalJson.read(Json.parse(line)));
        }
        assertEquals(6, goals.size(), "the page's examples");
        final Set<Goal.Kind> kinds = EnumSet.noneOf(Goal.Kind.class);
        final Set<String> types = new TreeSet<>();
        for (final Goal goal : goals)
        {
            kinds.add(goal.kind());
            types.add(String.valueOf(GoalJson.write(goal).get("type")));
        }
        assertEquals(EnumSet.allOf(Goal.Kind.class), kinds, "one example of each kind");
        assertTrue(types.containsAll(Set.of("pageview", "click", "form", "custom")), "one example of each type: " + types);
    }

    /** The lines of the fenced json block under "## Examples". */
    private static List<String> exampleLines() throws IOException
    {
        final List<String> lines = Files.readAllLines(GOALS_DOC);
        final int heading = lines.indexOf("## Examples");
        assertTrue(heading >= 0, "docs/goals.md has its examples");
        int i = heading;
        while (!lines.get(i).equals("```json"))
        {
            i++;
        }
        final List<String> block = new ArrayList<>();
        for (i++; !lines.get(i).equals("```"); i++)
        {
            block.add(lines.get(i));
        }
        return block;
    }
}
