package io.tally.store.rollup.segment;

import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.Cells;
import io.tally.store.rollup.day.DayCube;
import io.tally.store.rollup.day.KnownTouches;
import io.tally.store.rollup.day.Ordinals;
import io.tally.store.rollup.day.SessionRows;

import java.io.IOException;

/**
 * An open day written in the segment layout and read back into a {@link DayCube}: how the rollup checkpoint keeps
 * the open days (one layout, one writer, one reader for sealed and open days alike). Restoring keeps every id the
 * day had given out (texts, ordinals), so the journal after the checkpoint applies on top as if nothing happened.
 */
public final class Snapshots
{
    private Snapshots()
    {
    }

    /**
     * Gives {@code cube} the segment's visitors and sessions, in ordinal order, with their touches; the segment's
     * text ids become the cube's through {@code text}.
     */
    public static void restoreTouches(final DayCube cube, final Segment segment, final java.util.function.IntUnaryOperator text)
    {
        final int[] source = new int[DayCube.DIMENSIONS];
        for (int n = 0; n < segment.visitors(); n++)
        {
            final int ordinal = segment.firstVisitor() + n;
            cube.visitors().restore(segment.visitorId(ordinal));
            for (int d = 0; d < source.length; d++)
            {
                source[d] = text.applyAsInt(segment.visitorSource(ordinal, d));
            }
            cube.restoreVisitorTouch(cube.visitors().added() - 1, segment.firstSeen(ordinal), source);
        }
        for (int n = 0; n < segment.sessions(); n++)
        {
            final int ordinal = segment.firstSession() + n;
            cube.sessions().restore(segment.sessionId(ordinal));
            for (int d = 0; d < source.length; d++)
            {
                source[d] = text.applyAsInt(segment.sessionSource(ordinal, d));
            }
            cube.restoreSessionTouch(cube.sessions().added() - 1, text.applyAsInt(segment.entryPage(ordinal)), source);
        }
    }

    /**
     * Gives {@code cube} the segment's session rows (after its touches): those of sessions of the days before it
     * (a delta's) replace what the cube had of them; its own sessions get theirs, an empty one when it has none.
     */
    public static void restoreSessionRows(final DayCube cube, final Segment segment, final java.util.function.IntUnaryOperator text)
    {
        final SessionRows rows = segment.sessionRows();
        for (int row = 0; row < rows.rows() && rows.ordinal(row) < segment.firstSession(); row++)
        {
            restoreRow(cube, rows, row, text);
        }
        for (int n = 0; n < segment.sessions(); n++)
        {
            final int row = segment.rowOf(segment.firstSession() + n);
            if (row >= 0)
            {
                restoreRow(cube, rows, row, text);
            }
            else
            {
                cube.restoreSessionRow(segment.firstSession() + n, -1, 0, 0, 0, 0, 0, null);
            }
        }
    }

    private static void restoreRow(final DayCube cube, final SessionRows rows, final int row,
        final java.util.function.IntUnaryOperator text)
    {
        final int[] source = new int[SessionRows.SOURCES];
        for (int d = 0; d < source.length; d++)
        {
            source[d] = text.applyAsInt(rows.source(row, d));
        }
        cube.restoreSessionRow(rows.ordinal(row), rows.visitor(row), rows.first(row), rows.last(row),
            text.applyAsInt(rows.exitPage(row)), rows.pageviews(row), rows.events(row), source);
    }

    /** A cube with the snapshot's figures; for a delta, {@code visitors}/{@code sessions} are the sealed day's. */
    public static DayCube restore(final Segment snapshot, final Ordinals.Known visitors, final Ordinals.Known sessions,
        final KnownTouches known) throws IOException
    {
        if (snapshot.firstVisitor() != visitors.count() || snapshot.firstSession() != sessions.count())
        {
            throw new IOException(snapshot.file() + " continues other ordinals than its sealed day gives out");
        }
        final DayCube cube = new DayCube(snapshot.day(), visitors, sessions, known);
        for (int id = 0; id < snapshot.strings(); id++)
        {
            if (cube.strings().id(snapshot.string(id)) != id)
            {
                throw new IOException(snapshot.file() + ": text " + id + " is given twice");
            }
        }
        restoreTouches(cube, snapshot, id -> id);
        restoreSessionRows(cube, snapshot, id -> id);
        final Cells cells = cube.cells();
        for (int cell = 0; cell < snapshot.cellCount(); cell++)
        {
            final int kindHour = snapshot.kindHour(cell);
            if (CellKind.hourOf(kindHour) == CellKind.DAY || CellKind.kindOf(kindHour).isMadeFromSessions())
            {
                continue;
            }
            final int into = cells.cell(CellKind.kindOf(kindHour), CellKind.hourOf(kindHour), snapshot.key1(cell),
                snapshot.key2(cell), snapshot.key3(cell));
            cells.add0(into, snapshot.count0(cell));
            cells.add1(into, snapshot.count1(cell));
            cells.add2(into, snapshot.count2(cell));
            if (snapshot.money(cell) != null)
            {
                cells.addMoney(into, snapshot.money(cell));
            }
            if (snapshot.bitmap0(cell) != null)
            {
                cells.orBitmap0(into, snapshot.bitmap0(cell));
            }
            if (snapshot.bitmap1(cell) != null)
            {
                cells.orBitmap1(into, snapshot.bitmap1(cell));
            }
            if (snapshot.histogram(cell) != null)
            {
                cells.addHistogram(into, snapshot.histogram(cell));
            }
        }
        cube.restoreRecords(snapshot.records());
        cube.restoreCaps();
        return cube;
    }
}
