package io.tally.store.rollup.segment;

import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.Cells;
import io.tally.store.rollup.day.DayCube;
import io.tally.store.rollup.day.Ordinals;

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

    /** A cube with the snapshot's figures; for a delta, {@code visitors}/{@code sessions} are the sealed day's. */
    public static DayCube restore(final Segment snapshot, final Ordinals.Known visitors, final Ordinals.Known sessions)
        throws IOException
    {
        if (snapshot.firstVisitor() != visitors.count() || snapshot.firstSession() != sessions.count())
        {
            throw new IOException(snapshot.file() + " continues other ordinals than its sealed day gives out");
        }
        final DayCube cube = new DayCube(snapshot.day(), visitors, sessions);
        for (int id = 0; id < snapshot.strings(); id++)
        {
            if (cube.strings().id(snapshot.string(id)) != id)
            {
                throw new IOException(snapshot.file() + ": text " + id + " is given twice");
            }
        }
        for (int n = 0; n < snapshot.visitors(); n++)
        {
            cube.visitors().restore(snapshot.visitorId(snapshot.firstVisitor() + n));
        }
        for (int n = 0; n < snapshot.sessions(); n++)
        {
            cube.sessions().restore(snapshot.sessionId(snapshot.firstSession() + n));
        }
        final Cells cells = cube.cells();
        for (int cell = 0; cell < snapshot.cellCount(); cell++)
        {
            final int kindHour = snapshot.kindHour(cell);
            if (CellKind.hourOf(kindHour) == CellKind.DAY)
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
