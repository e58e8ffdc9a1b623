package io.tally.matcher;

import io.netty.buffer.ByteBuf;
import io.tally.codec.ByteBufUtils;
import io.tally.codec.TextView;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Every condition on one field, compiled so that one pass over the field's text finds all that hold,
 * however many there are: an Aho-Corasick automaton over the patterns answers {@code contains} (any
 * position), {@code starts_with} (while the walk has not yet fallen back) and {@code equals} (at the end,
 * when it never did); a trie of the reversed patterns answers {@code ends_with}. {@code is_not_empty} needs
 * only the length. Text is folded to ASCII lower case unless the field is case-sensitive.
 * <p>
 * Immutable once built; {@link #scan} allocates nothing.
 */
final class PatternIndex
{
    private final boolean caseSensitive;
    private final ByteTrie forward;
    private final int[] fail;
    private final int[] containsLink;
    private final int[] equalsStart;
    private final int[] equalsIds;
    private final int[] prefixStart;
    private final int[] prefixIds;
    private final int[] containsStart;
    private final int[] containsIds;
    private final ByteTrie reverse;
    private final int[] suffixStart;
    private final int[] suffixIds;
    private final int[] notEmptyIds;

    private PatternIndex(final Builder b)
    {
        caseSensitive = b.caseSensitive;
        forward = b.forward;
        reverse = b.reverse;
        final int nodes = forward.nodeCount();
        equalsStart = new int[nodes + 1];
        equalsIds = flatten(b.equals, nodes, equalsStart);
        prefixStart = new int[nodes + 1];
        prefixIds = flatten(b.prefixes, nodes, prefixStart);
        containsStart = new int[nodes + 1];
        containsIds = flatten(b.contains, nodes, containsStart);
        suffixStart = new int[reverse.nodeCount() + 1];
        suffixIds = flatten(b.suffixes, reverse.nodeCount(), suffixStart);
        notEmptyIds = b.notEmpty.stream().mapToInt(Integer::intValue).toArray();
        fail = new int[nodes];
        containsLink = new int[nodes];
        linkFailures();
    }

    static Builder builder(final boolean caseSensitive)
    {
        return new Builder(caseSensitive);
    }

    /** Reports to {@code hits} every condition id whose positive test holds for {@code text}. */
    void scan(final TextView text, final MatchState hits)
    {
        final int length = text.isPresent() ? text.length() : 0;
        if (length == 0)
        {
            return;
        }
        for (final int id : notEmptyIds)
        {
            hits.fire(id);
        }
        scanForward(text.buffer(), text.offset(), length, hits);
        if (suffixIds.length > 0)
        {
            scanSuffixes(text.buffer(), text.offset(), length, hits);
        }
    }

    /** The id of the {@code equals} pattern that is exactly {@code text}, or -1; for directories of keys. */
    int exactMatch(final TextView text)
    {
        if (!text.isPresent())
        {
            return -1;
        }
        final ByteBuf buffer = text.buffer();
        int node = 0;
        for (int i = text.offset(), end = text.offset() + text.length(); i < end && node >= 0; i++)
        {
            node = forward.child(node, fold(buffer.getByte(i)));
        }
        return node >= 0 && equalsStart[node] < equalsStart[node + 1] ? equalsIds[equalsStart[node]] : -1;
    }

    private void scanForward(final ByteBuf buffer, final int offset, final int length, final MatchState hits)
    {
        int node = 0;
        boolean onPrefixPath = true;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte b = fold(buffer.getByte(i));
            int next = forward.child(node, b);
            if (next < 0)
            {
                onPrefixPath = false;
                while (next < 0 && node != 0)
                {
                    node = fail[node];
                    next = forward.child(node, b);
                }
            }
            node = next < 0 ? 0 : next;
            if (onPrefixPath)
            {
                report(prefixStart, prefixIds, node, hits);
            }
            for (int n = containsStart[node] < containsStart[node + 1] ? node : containsLink[node]; n > 0; n = containsLink[n])
            {
                report(containsStart, containsIds, n, hits);
            }
        }
        if (onPrefixPath)
        {
            report(equalsStart, equalsIds, node, hits);
        }
    }

    private void scanSuffixes(final ByteBuf buffer, final int offset, final int length, final MatchState hits)
    {
        int node = 0;
        for (int i = offset + length - 1; i >= offset; i--)
        {
            node = reverse.child(node, fold(buffer.getByte(i)));
            if (node < 0)
            {
                return;
            }
            report(suffixStart, suffixIds, node, hits);
        }
    }

    private static void report(final int[] starts, final int[] ids, final int node, final MatchState hits)
    {
        for (int i = starts[node], end = starts[node + 1]; i < end; i++)
        {
            hits.fire(ids[i]);
        }
    }

    private byte fold(final byte b)
    {
        return caseSensitive ? b : ByteBufUtils.toLowerAscii(b);
    }

    /** Breadth-first failure links, and for each node the nearest node on its failure chain with contains ids. */
    private void linkFailures()
    {
        final int nodes = forward.nodeCount();
        final List<List<int[]>> edges = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++)
        {
            edges.add(new ArrayList<>());
        }
        forward.forEachEdge((parent, label, child) -> edges.get(parent).add(new int[] {label, child}));
        final ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (final int[] edge : edges.get(0))
        {
            fail[edge[1]] = 0;
            queue.add(edge[1]);
        }
        while (!queue.isEmpty())
        {
            final int node = queue.poll();
            containsLink[node] = containsStart[fail[node]] < containsStart[fail[node] + 1] ? fail[node] : containsLink[fail[node]];
            for (final int[] edge : edges.get(node))
            {
                final byte label = (byte)edge[0];
                int f = fail[node];
                int target = forward.child(f, label);
                while (target < 0 && f != 0)
                {
                    f = fail[f];
                    target = forward.child(f, label);
                }
                fail[edge[1]] = target < 0 || target == edge[1] ? 0 : target;
                queue.add(edge[1]);
            }
        }
    }

    private static int[] flatten(final List<List<Integer>> perNode, final int nodes, final int[] starts)
    {
        int total = 0;
        for (int node = 0; node < nodes; node++)
        {
            starts[node] = total;
            total += node < perNode.size() && perNode.get(node) != null ? perNode.get(node).size() : 0;
        }
        starts[nodes] = total;
        final int[] ids = new int[total];
        for (int node = 0; node < nodes && node < perNode.size(); node++)
        {
            if (perNode.get(node) != null)
            {
                for (int i = 0; i < perNode.get(node).size(); i++)
                {
                    ids[starts[node] + i] = perNode.get(node).get(i);
                }
            }
        }
        return ids;
    }

    /** Collects the patterns of one field. */
    static final class Builder
    {
        private final boolean caseSensitive;
        private final ByteTrie forward = new ByteTrie();
        private final ByteTrie reverse = new ByteTrie();
        private final List<List<Integer>> equals = new ArrayList<>();
        private final List<List<Integer>> prefixes = new ArrayList<>();
        private final List<List<Integer>> contains = new ArrayList<>();
        private final List<List<Integer>> suffixes = new ArrayList<>();
        private final List<Integer> notEmpty = new ArrayList<>();

        private Builder(final boolean caseSensitive)
        {
            this.caseSensitive = caseSensitive;
        }

        /** Adds condition {@code id} with positive operator {@code op} and pattern {@code value}. */
        Builder add(final Op op, final String value, final int id)
        {
            switch (op)
            {
                case IS_NOT_EMPTY -> notEmpty.add(id);
                case EQUALS -> addAt(equals, insert(forward, value, false), id);
                case STARTS_WITH -> addAt(prefixes, insert(forward, value, false), id);
                case CONTAINS -> addAt(contains, insert(forward, value, false), id);
                case ENDS_WITH -> addAt(suffixes, insert(reverse, value, true), id);
                default -> throw new IllegalArgumentException("not a positive operator: " + op);
            }
            return this;
        }

        PatternIndex build()
        {
            return new PatternIndex(this);
        }

        private int insert(final ByteTrie trie, final String value, final boolean reversed)
        {
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            int node = 0;
            for (int i = 0; i < bytes.length; i++)
            {
                final byte b = bytes[reversed ? bytes.length - 1 - i : i];
                node = trie.childOrAdd(node, caseSensitive ? b : ByteBufUtils.toLowerAscii(b));
            }
            return node;
        }

        private static void addAt(final List<List<Integer>> perNode, final int node, final int id)
        {
            while (perNode.size() <= node)
            {
                perNode.add(null);
            }
            if (perNode.get(node) == null)
            {
                perNode.set(node, new ArrayList<>());
            }
            perNode.get(node).add(id);
        }
    }
}
