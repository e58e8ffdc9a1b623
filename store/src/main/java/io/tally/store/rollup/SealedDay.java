package io.tally.store.rollup;

import io.tally.store.rollup.day.DayFigures;
import io.tally.store.rollup.day.KnownTouches;
import io.tally.store.rollup.day.Ordinals;
import io.tally.store.rollup.segment.Segment;

import java.util.ArrayList;
import java.util.List;

/**
 * A sealed day of one site: its segment and the deltas late events added since, in order. Immutable: a new delta
 * or a compaction makes a new one, which the rollups swap in whole, so queries read it without a lock. The deltas
 * continue the day's ordinals, so together they unite exactly.
 */
final class SealedDay
{
    final Segment base;
    /** Raised by each compaction: the base file's name carries it, so a new base never overwrites the old. */
    final long generation;
    final List<Segment> deltas;
    private final List<DayFigures> figures;

    SealedDay(final Segment base, final long generation, final List<Segment> deltas)
    {
        this.base = base;
        this.generation = generation;
        this.deltas = List.copyOf(deltas);
        final List<DayFigures> all = new ArrayList<>();
        all.add(base);
        all.addAll(deltas);
        this.figures = List.copyOf(all);
    }

    SealedDay withDelta(final Segment delta)
    {
        final List<Segment> more = new ArrayList<>(deltas);
        more.add(delta);
        return new SealedDay(base, generation, more);
    }

    List<DayFigures> figures()
    {
        return figures;
    }

    long bytes()
    {
        long bytes = base.bytes();
        for (final Segment delta : deltas)
        {
            bytes += delta.bytes();
        }
        return bytes;
    }

    long records()
    {
        long records = base.records();
        for (final Segment delta : deltas)
        {
            records += delta.records();
        }
        return records;
    }

    /** The touches of the visitors and sessions the day gave ordinals to, as texts: a delta's late events use them. */
    KnownTouches touches()
    {
        final List<Segment> segments = figuresAsSegments();
        return new KnownTouches()
        {
            @Override
            public long firstSeen(final int visitor)
            {
                return withVisitor(visitor).firstSeen(visitor);
            }

            @Override
            public String visitorSource(final int visitor, final int dimension)
            {
                final Segment segment = withVisitor(visitor);
                return segment.string(segment.visitorSource(visitor, dimension));
            }

            @Override
            public String entryPage(final int session)
            {
                final Segment segment = withSession(session);
                return segment.string(segment.entryPage(session));
            }

            @Override
            public String sessionSource(final int session, final int dimension)
            {
                final Segment segment = withSession(session);
                return segment.string(segment.sessionSource(session, dimension));
            }

            @Override
            public KnownSession session(final int session)
            {
                for (int s = segments.size() - 1; s >= 0; s--)
                {
                    final Segment segment = segments.get(s);
                    final int row = segment.rowOf(session);
                    if (row >= 0)
                    {
                        final io.tally.store.rollup.day.SessionRows rows = segment.sessionRows();
                        return rows.events(row) == 0 ? null : new KnownSession(rows.first(row), rows.last(row),
                            segment.string(rows.exitPage(row)), rows.pageviews(row), rows.events(row), rows.visitor(row));
                    }
                }
                return null;
            }

            private Segment withVisitor(final int visitor)
            {
                for (final Segment segment : segments)
                {
                    if (segment.hasVisitor(visitor))
                    {
                        return segment;
                    }
                }
                throw new IllegalArgumentException("no segment gave out visitor ordinal " + visitor);
            }

            private Segment withSession(final int session)
            {
                for (final Segment segment : segments)
                {
                    if (segment.hasSession(session))
                    {
                        return segment;
                    }
                }
                throw new IllegalArgumentException("no segment gave out session ordinal " + session);
            }
        };
    }

    /** The visitor ordinals the day gave out, base and deltas: a new delta continues them. */
    Ordinals.Known visitors()
    {
        return chain(false);
    }

    Ordinals.Known sessions()
    {
        return chain(true);
    }

    private Ordinals.Known chain(final boolean sessions)
    {
        final List<Ordinals.Known> links = new ArrayList<>();
        for (final Segment segment : figuresAsSegments())
        {
            links.add(sessions ? segment.sessionOrdinals() : segment);
        }
        return new Ordinals.Known()
        {
            @Override
            public int ordinalOf(final long id)
            {
                for (final Ordinals.Known link : links)
                {
                    final int ordinal = link.ordinalOf(id);
                    if (ordinal >= 0)
                    {
                        return ordinal;
                    }
                }
                return -1;
            }

            @Override
            public int count()
            {
                return links.get(links.size() - 1).count();
            }
        };
    }

    List<Segment> segments()
    {
        return figuresAsSegments();
    }

    private List<Segment> figuresAsSegments()
    {
        final List<Segment> segments = new ArrayList<>();
        segments.add(base);
        segments.addAll(deltas);
        return segments;
    }
}
