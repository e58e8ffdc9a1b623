package io.tally.matcher;

/**
 * The nodes and edges of a trie over bytes: node 0 is the root, edges live in one open-addressing table keyed
 * by (node, byte), so a node costs no array of 256 children. Built once, then only read.
 */
final class ByteTrie
{
    private long[] keys = new long[64];
    private int[] children = new int[64];
    private int edges;
    private int nodes = 1;

    int nodeCount()
    {
        return nodes;
    }

    /** The child of {@code node} on {@code b}, made when missing. */
    int childOrAdd(final int node, final byte b)
    {
        final int existing = child(node, b);
        if (existing >= 0)
        {
            return existing;
        }
        if ((edges + 1) * 2 > keys.length)
        {
            grow();
        }
        put(edgeKey(node, b), nodes);
        edges++;
        return nodes++;
    }

    /** The child of {@code node} on {@code b}, or -1. */
    int child(final int node, final byte b)
    {
        final long key = edgeKey(node, b);
        final int mask = keys.length - 1;
        int slot = hash(key) & mask;
        while (keys[slot] != 0)
        {
            if (keys[slot] == key)
            {
                return children[slot];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** Calls {@code visitor} for every edge; used to build failure links breadth-first. */
    void forEachEdge(final EdgeVisitor visitor)
    {
        for (int slot = 0; slot < keys.length; slot++)
        {
            if (keys[slot] != 0)
            {
                final long key = keys[slot] - 1;
                visitor.edge((int)(key >>> 8), (byte)key, children[slot]);
            }
        }
    }

    /** One edge of the trie. */
    interface EdgeVisitor
    {
        void edge(int parent, byte label, int child);
    }

    private void put(final long key, final int child)
    {
        final int mask = keys.length - 1;
        int slot = hash(key) & mask;
        while (keys[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        children[slot] = child;
    }

    private void grow()
    {
        final long[] oldKeys = keys;
        final int[] oldChildren = children;
        keys = new long[oldKeys.length * 2];
        children = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++)
        {
            if (oldKeys[i] != 0)
            {
                put(oldKeys[i], oldChildren[i]);
            }
        }
    }

    private static long edgeKey(final int node, final byte b)
    {
        return (((long)node << 8) | (b & 0xFF)) + 1;
    }

    private static int hash(final long key)
    {
        final long h = key * 0x9E3779B97F4A7C15L;
        return (int)(h ^ (h >>> 29));
    }

    @Override
    public String toString()
    {
        return "ByteTrie{nodes=" + nodes + ", edges=" + edges + ", table=" + keys.length + "}";
    }
}
