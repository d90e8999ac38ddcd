package org.infodyn.tasks.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.infodyn.api.config.ConfigException;

/**
 * One NumPy array in the {@code .npy} format (versions 1.0, 2.0 and 3.0), stored in a file of its
 * own or as an entry of an {@code .npz} archive. The header is read when the array is opened; the
 * values are streamed, so an array is never held twice.
 *
 * <p>Supported dtypes: floats ({@code f2}, {@code f4}, {@code f8}), signed and unsigned integers
 * of 1, 2, 4 and 8 bytes, booleans, in either byte order, C or Fortran order; and, for class
 * labels only, fixed-width strings ({@code U}, {@code S}). Anything else (complex numbers,
 * Python objects, dates, records) is refused with the dtype named.
 */
public final class NpyArray {
    /** What opens the array's bytes again; each call starts at the beginning of the .npy data. */
    @FunctionalInterface
    public interface Opener {
        /** A fresh stream over the whole .npy (header included). */
        InputStream open() throws IOException;
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern DTYPE = Pattern.compile("([<>|=])([fiubUS])(\\d+)");

    private final String field;
    private final String name;
    private final Opener opener;
    private final String descr;
    private final char kind;
    private final int itemSize;
    private final ByteOrder order;
    private final boolean fortran;
    private final int[] shape;

    private NpyArray(String field, String name, Opener opener, String descr, char kind, int itemSize, ByteOrder order, boolean fortran,
            int[] shape) {
        this.field = field;
        this.name = name;
        this.opener = opener;
        this.descr = descr;
        this.kind = kind;
        this.itemSize = itemSize;
        this.order = order;
        this.fortran = fortran;
        this.shape = shape;
    }

    /**
     * Reads an array's header.
     *
     * @param field the experiment field that named the data, for messages
     * @param name the file, or {@code archive.npz:entry}, for messages
     * @throws ConfigException when the bytes are not a .npy array or its dtype is not supported
     */
    public static NpyArray open(String field, String name, Opener opener) {
        try (InputStream in = opener.open()) {
            Header h = header(field, name, in);
            Matcher d = DTYPE.matcher(h.descr);
            if (!d.matches()) {
                throw new ConfigException(field, name + ": unsupported dtype '" + h.descr + "'; supported: floats (f2, f4, f8), "
                        + "integers (i1–i8, u1–u8), booleans (b1), and strings (U, S) for class labels");
            }
            char kind = d.group(2).charAt(0);
            int size = Integer.parseInt(d.group(3));
            boolean sizeOk = switch (kind) {
                case 'f' -> size == 2 || size == 4 || size == 8;
                case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
                case 'b' -> size == 1;
                default -> size >= 1;
            };
            if (!sizeOk) {
                throw new ConfigException(field, name + ": unsupported dtype '" + h.descr + "' (" + size + "-byte " + kind + ")");
            }
            int bytesPerItem = kind == 'U' ? 4 * size : size;
            ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            return new NpyArray(field, name, opener, h.descr, kind, bytesPerItem, order, h.fortran, h.shape);
        } catch (IOException e) {
            throw new ConfigException(field + ": cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private record Header(String descr, boolean fortran, int[] shape) {
    }

    private static Header header(String field, String name, InputStream in) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw new ConfigException(field, name + " is not a NumPy .npy array (no \\x93NUMPY magic)");
        }
        int major = magic[6];
        long len;
        if (major == 1) {
            byte[] b = in.readNBytes(2);
            len = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        } else if (major == 2 || major == 3) {
            byte[] b = in.readNBytes(4);
            len = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        } else {
            throw new ConfigException(field, name + ": .npy format version " + major + " is not supported (1, 2 and 3 are)");
        }
        if (len > 1 << 20) {
            throw new ConfigException(field, name + ": .npy header of " + len + " bytes is not plausible");
        }
        String text = new String(in.readNBytes((int) len), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(text);
        Matcher fortran = FORTRAN.matcher(text);
        Matcher shape = SHAPE.matcher(text);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            if (text.contains("'descr'") && text.contains("[")) {
                throw new ConfigException(field, name + ": structured (record) dtypes are not supported; save each column as its own array");
            }
            throw new ConfigException(field, name + ": unreadable .npy header: " + text.strip());
        }
        String[] dims = shape.group(1).split(",");
        int[] s = Arrays.stream(dims).map(String::strip).filter(x -> !x.isEmpty()).mapToInt(x -> {
            long v = Long.parseLong(x);
            if (v > Integer.MAX_VALUE) {
                throw new ConfigException(field, name + ": dimension " + v + " is too large");
            }
            return (int) v;
        }).toArray();
        return new Header(descr.group(1), fortran.group(1).equals("True"), s);
    }

    /** The array's name as given when it was opened. */
    public String name() {
        return name;
    }

    /** The dimensions. */
    public int[] shape() {
        return shape.clone();
    }

    /** The dtype as NumPy writes it, e.g. {@code <f4}. */
    public String dtype() {
        return descr;
    }

    /** Number of elements. */
    public long size() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** True for string dtypes, which only class labels may have. */
    public boolean isText() {
        return kind == 'U' || kind == 'S';
    }

    /**
     * Streams the values as floats into {@code dest}: element (i, j) of the array seen as
     * {@code [rows, cols]} (rows = the first dimension, cols = the product of the others, C order)
     * goes to {@code dest[i · stride + offset + j]}.
     */
    public void readFloats(float[] dest, int stride, int offset) {
        if (isText()) {
            throw new ConfigException(field, name + ": dtype " + descr + " holds text; features must be numbers");
        }
        int rows = shape.length == 0 ? 1 : shape[0];
        long cols = rows == 0 ? 0 : size() / rows;
        int[] cShape = shape.length == 0 ? new int[] {1} : shape;
        long[] cStrides = cOrderStrides(cShape);
        stream((e, buf) -> {
            long c = fortran ? fortranToC(e, cShape, cStrides) : e;
            long i = c / Math.max(1, cols);
            long j = c % Math.max(1, cols);
            float v = (float) number(buf);
            if (!Float.isFinite(v)) {
                throw new ConfigException(field, name + ": element " + elementIndex(c, cShape) + " is " + v + "; features must be finite");
            }
            dest[(int) (i * stride + offset + j)] = v;
        });
    }

    /** Streams the values of a one-dimensional label array as text (whole numbers as digits). */
    public void readLabels(LabelSink sink) {
        if (shape.length != 1) {
            throw new ConfigException(field, name + " has shape " + Arrays.toString(shape) + "; a label array must be one-dimensional");
        }
        stream((e, buf) -> sink.accept((int) e, label(e, buf)));
    }

    /** Receives label values in element order. */
    @FunctionalInterface
    public interface LabelSink {
        /** One label, as text. */
        void accept(int index, String value);
    }

    private String label(long e, ByteBuffer buf) {
        if (kind == 'U') {
            int[] cps = new int[itemSize / 4];
            int n = 0;
            for (int k = 0; k < cps.length; k++) {
                int cp = buf.getInt();
                if (cp != 0) {
                    cps[n++] = cp;
                }
            }
            return new String(cps, 0, n);
        }
        if (kind == 'S') {
            byte[] b = new byte[itemSize];
            buf.get(b);
            int n = b.length;
            while (n > 0 && b[n - 1] == 0) {
                n--;
            }
            return new String(b, 0, n, StandardCharsets.UTF_8);
        }
        double v = number(buf);
        if (v != Math.rint(v) || Math.abs(v) > 1e15) {
            throw new ConfigException(field, name + ": element " + e + " is " + v + "; class labels must be whole numbers or text");
        }
        return Long.toString((long) v);
    }

    private double number(ByteBuffer buf) {
        return switch (kind) {
            case 'f' -> switch (itemSize) {
                case 2 -> halfToFloat(buf.getShort());
                case 4 -> buf.getFloat();
                default -> buf.getDouble();
            };
            case 'i' -> switch (itemSize) {
                case 1 -> buf.get();
                case 2 -> buf.getShort();
                case 4 -> buf.getInt();
                default -> buf.getLong();
            };
            case 'u' -> switch (itemSize) {
                case 1 -> buf.get() & 0xff;
                case 2 -> buf.getShort() & 0xffff;
                case 4 -> buf.getInt() & 0xffffffffL;
                default -> {
                    long v = buf.getLong();
                    yield v >= 0 ? v : v + 0x1p64; // unsigned
                }
            };
            case 'b' -> buf.get() != 0 ? 1 : 0;
            default -> throw new AssertionError(kind);
        };
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mant << 13);
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | (exp + 112) << 23 | mant << 13);
    }

    @FunctionalInterface
    private interface ElementSink {
        void accept(long element, ByteBuffer buf);
    }

    /** Reads every element in file order, handing each to {@code sink} positioned at its bytes. */
    private void stream(ElementSink sink) {
        long count = size();
        try (InputStream raw = opener.open(); InputStream in = new BufferedInputStream(raw, 1 << 16)) {
            header(field, name, in);
            int per = Math.max(1, (1 << 16) / itemSize);
            byte[] chunk = new byte[per * itemSize];
            ByteBuffer buf = ByteBuffer.wrap(chunk).order(order);
            long e = 0;
            while (e < count) {
                int take = (int) Math.min(per, count - e);
                int need = take * itemSize;
                int got = in.readNBytes(chunk, 0, need);
                if (got < need) {
                    throw new EOFException("the file ends after element " + (e + got / itemSize) + " of " + count);
                }
                for (int k = 0; k < take; k++) {
                    buf.position(k * itemSize);
                    sink.accept(e + k, buf);
                }
                e += take;
            }
        } catch (IOException ex) {
            throw new ConfigException(field + ": cannot read " + name + ": " + ex.getMessage(), ex);
        }
    }

    private static long[] cOrderStrides(int[] s) {
        long[] st = new long[s.length];
        long acc = 1;
        for (int k = s.length - 1; k >= 0; k--) {
            st[k] = acc;
            acc *= s[k];
        }
        return st;
    }

    /** The C-order position of the e-th element of a Fortran-order array. */
    private static long fortranToC(long e, int[] s, long[] cStrides) {
        long c = 0;
        long rest = e;
        for (int k = 0; k < s.length; k++) {
            long idx = rest % s[k];
            rest /= s[k];
            c += idx * cStrides[k];
        }
        return c;
    }

    private static String elementIndex(long c, int[] s) {
        long[] idx = new long[s.length];
        long rest = c;
        for (int k = s.length - 1; k >= 0; k--) {
            idx[k] = rest % s[k];
            rest /= s[k];
        }
        return Arrays.toString(idx);
    }
}
