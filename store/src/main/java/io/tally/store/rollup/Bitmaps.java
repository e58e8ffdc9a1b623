package io.tally.store.rollup;

import org.roaringbitmap.RoaringBitmap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** Serialization helpers shared by the rollup classes: bitmaps of ordinals, decimals per currency. */
final class Bitmaps
{
    private Bitmaps()
    {
    }

    static void write(final DataOutput out, final RoaringBitmap bitmap) throws IOException
    {
        bitmap.runOptimize();
        bitmap.serialize(out);
    }

    static RoaringBitmap read(final DataInput in) throws IOException
    {
        final RoaringBitmap bitmap = new RoaringBitmap();
        bitmap.deserialize(in);
        return bitmap;
    }

    static void writeMoney(final DataOutput out, final Map<String, BigDecimal> amounts) throws IOException
    {
        out.writeInt(amounts.size());
        for (final Map.Entry<String, BigDecimal> entry : amounts.entrySet())
        {
            out.writeUTF(entry.getKey());
            out.writeUTF(entry.getValue().toPlainString());
        }
    }

    static Map<String, BigDecimal> readMoney(final DataInput in) throws IOException
    {
        final Map<String, BigDecimal> amounts = new TreeMap<>();
        for (int i = in.readInt(); i > 0; i--)
        {
            amounts.put(in.readUTF(), new BigDecimal(in.readUTF()));
        }
        return amounts;
    }

    static void addMoney(final Map<String, BigDecimal> into, final Map<String, BigDecimal> from)
    {
        from.forEach((currency, amount) -> into.merge(currency, amount, BigDecimal::add));
    }
}
