package io.tally.ops;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code tally sites} refuses what it cannot send, saying how it is used, before it reaches for an engine. */
class SitesCommandTest
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sites frob|tally sites: unknown sites command 'frob' (one of list, add, rm)",
        "sites list extra|tally sites: usage: tally sites list",
        "sites rm|tally sites: usage: tally sites rm DOMAIN",
        "sites add|tally sites: usage: tally sites add DOMAIN [--time-zone Z] [--alias A]...",
        "sites add a.example b.example|tally sites: usage: tally sites add DOMAIN [--time-zone Z] [--alias A]...",
        "sites add a.example --object {}|tally sites: usage: tally sites add --object '{\"domain\": ...}' (no DOMAIN beside it)"})
    void aMisusedCommandSaysHowItIsUsed(final String command, final String error)
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final List<String> args = Arrays.asList(command.split(" "));
        assertEquals(2, Main.run(args, Map.of(), new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals(error + "\n", err.toString(StandardCharsets.UTF_8));
    }
}
