/*
 * Which library should do the linear decoder's dense work? Issue 22 asked for the choice to be
 * made by measurement; this program makes it, on the two operations a wide layer's fit spends
 * most of its time in (docs/DESIGN.md §5):
 *
 *   gram      the row-space Gram matrix K = X Xᵀ of 2,000 fit samples × 6,272 features
 *             (cnn-small's block1), upper triangle: n²d/2 = 12.5 G multiply-adds;
 *   cholesky  the Cholesky factor of a 2,000-square SPD matrix (Newton's Hessian, the
 *             multinomial preconditioner): n³/6 multiply-adds.
 *
 * Contenders, each timed REPEATS times in this one process, one thread:
 *   infodyn   the product's own kernels (Kernels.addProductUpper, BlockedCholesky), reached by
 *             reflection from the class path (they are package-private);
 *   vector    a register-blocked micro-kernel (4 rows × 2 vectors: 16 columns with AVX-512,
 *             8 with AVX2) written with the JDK's Vector API
 *             (jdk.incubator.vector), the same per-element operations in the same order as
 *             infodyn's kernel (so its Gram is compared bit for bit);
 *   netlib    dev.ludovic.netlib (the BLAS wrapper Spark MLlib uses): dsyrk and dpotrf through
 *             JNI on the system's libblas/liblapack (Debian: OpenBLAS), and its pure-Java
 *             fallback (VectorBLAS);
 *   ejml      EJML 0.46.1 (multTransB, its Cholesky decomposition).
 *
 * Run with bench/linalg/run.sh (it fetches netlib and EJML from Maven Central into the local
 * repository; they are not dependencies of the product). GFMA/s = 10⁹ multiply-adds per second
 * of the operation's own count (a full X Xᵀ is charged as the triangle it contains).
 */
import java.lang.reflect.Method;
import java.util.Random;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.netlib.util.intW;

public class LinalgChoice {
    private static final int N = 2000;
    private static final int D = 6272;
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Random random = new Random(1);
        double[][] rows = new double[N][D];
        double[][] columns = new double[D][N];
        double[] columnMajor = new double[N * D]; // X column-major, for BLAS
        DMatrixRMaj ejmlX = new DMatrixRMaj(N, D);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < D; j++) {
                double v = random.nextGaussian();
                rows[i][j] = v;
                columns[j][i] = v;
                columnMajor[j * N + i] = v;
                ejmlX.set(i, j, v);
            }
        }
        double gramFma = (double) N * N / 2 * D;
        double cholFma = (double) N * N * N / 6;
        Class<?> kernels = Class.forName("org.infodyn.probes.decoder.Kernels");
        Method product = kernels.getDeclaredMethod("addProductUpper", double[][].class, double[][].class, double[][].class,
                int.class, int.class, int.class);
        product.setAccessible(true);
        Method factor = Class.forName("org.infodyn.probes.decoder.BlockedCholesky")
                .getDeclaredMethod("factorInPlace", double[][].class, int.class, int[].class, double.class);
        factor.setAccessible(true);
        BLAS jni = BLAS.getInstance();
        BLAS javaBlas = JavaBLAS.getInstance();
        LAPACK lapack = LAPACK.getInstance();
        System.out.printf("n %d, d %d, %s; netlib: %s / %s, %s; vector species %s%n", N, D, System.getProperty("java.vm.version"),
                jni.getClass().getSimpleName(), javaBlas.getClass().getSimpleName(), lapack.getClass().getSimpleName(), S);

        double[][] spd = null;
        for (int r = 0; r < repeats; r++) {
            double[][] g = new double[N][N];
            long t0 = System.nanoTime();
            product.invoke(null, g, rows, columns, 0, N, D);
            report("gram", "infodyn", gramFma, System.nanoTime() - t0);

            double[][] gv = new double[N][N];
            t0 = System.nanoTime();
            vectorGram(gv, rows, columns, 256);
            report("gram", "vector", gramFma, System.nanoTime() - t0);
            if (!sameBits(g, gv)) { // the claim this micro-kernel is measured under
                throw new IllegalStateException("the vector Gram differs from infodyn's in some bits");
            }
            System.out.println("    vector Gram bit-identical to infodyn's: true");

            double[] k = new double[N * N];
            t0 = System.nanoTime();
            jni.dsyrk("U", "N", N, D, 1.0, columnMajor, N, 0.0, k, N);
            report("gram", "netlib " + jni.getClass().getSimpleName(), gramFma, System.nanoTime() - t0);
            if (r == 0) { // ~15 s: once
                double[] kj = new double[N * N];
                t0 = System.nanoTime();
                javaBlas.dsyrk("U", "N", N, D, 1.0, columnMajor, N, 0.0, kj, N);
                report("gram", "netlib " + javaBlas.getClass().getSimpleName(), gramFma, System.nanoTime() - t0);
                DMatrixRMaj ek = new DMatrixRMaj(N, N);
                t0 = System.nanoTime();
                CommonOps_DDRM.multTransB(ejmlX, ejmlX, ek);
                report("gram", "ejml", gramFma, System.nanoTime() - t0);
            }

            // The same SPD matrix for every Cholesky: K/d + I.
            spd = new double[N][N];
            double[] flat = new double[N * N];
            DMatrixRMaj ejmlSpd = new DMatrixRMaj(N, N);
            for (int i = 0; i < N; i++) {
                for (int j = i; j < N; j++) {
                    double v = g[i][j] / D + (i == j ? 1 : 0);
                    spd[i][j] = v;
                    flat[j * N + i] = v; // column-major upper
                    ejmlSpd.set(i, j, v);
                    ejmlSpd.set(j, i, v);
                }
            }
            t0 = System.nanoTime();
            int rank = (int) factor.invoke(null, spd, N, null, 0.0);
            report("cholesky", "infodyn", cholFma, System.nanoTime() - t0);
            intW info = new intW(0);
            t0 = System.nanoTime();
            lapack.dpotrf("U", N, flat, N, info);
            report("cholesky", "netlib " + lapack.getClass().getSimpleName(), cholFma, System.nanoTime() - t0);
            t0 = System.nanoTime();
            boolean ok = DecompositionFactory_DDRM.chol(N, false).decompose(ejmlSpd);
            report("cholesky", "ejml", cholFma, System.nanoTime() - t0);
            if (rank != N || info.val != 0 || !ok) {
                throw new IllegalStateException("a factorisation failed: " + rank + " " + info.val + " " + ok);
            }
        }
    }

    private static void report(String op, String who, double fma, long nanos) {
        System.out.printf("  %-9s %-22s %8.0f ms  %5.1f GFMA/s%n", op, who, nanos / 1e6, fma / nanos);
    }

    private static boolean sameBits(double[][] a, double[][] b) {
        for (int i = 0; i < N; i++) {
            for (int j = i; j < N; j++) {
                if (Double.doubleToRawLongBits(a[i][j]) != Double.doubleToRawLongBits(b[i][j])) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * g += v·t (upper triangle), four rows × two vectors of columns per micro-kernel, the terms
     * four at a time as infodyn's kernel adds them (y + (((a0·t0 + a1·t1) + a2·t2) + a3·t3), no
     * fused multiply-add), accumulated in registers over a block of pBlock terms with the t
     * block packed contiguously; entries near the diagonal in scalar code.
     */
    private static void vectorGram(double[][] g, double[][] v, double[][] t, int pBlock) {
        int m = N;
        int len = D;
        if (len % 4 != 0 || pBlock % 4 != 0) { // the groups of four below have no remainder loop
            throw new IllegalArgumentException("terms " + len + " and block " + pBlock + " must be multiples of 4");
        }
        int lanes = S.length();
        int w = 2 * lanes;
        double[] packed = new double[pBlock * w];
        for (int p0 = 0; p0 < len; p0 += pBlock) {
            int p1 = Math.min(len, p0 + pBlock);
            int b = 0;
            for (; b + w <= m; b += w) {
                for (int p = p0; p < p1; p++) {
                    System.arraycopy(t[p], b, packed, (p - p0) * w, w);
                }
                int a = 0;
                for (; a + 3 <= b && a + 4 <= m; a += 4) { // rows whose every column here is ≥ the row
                    double[] y0 = g[a];
                    double[] y1 = g[a + 1];
                    double[] y2 = g[a + 2];
                    double[] y3 = g[a + 3];
                    double[] v0 = v[a];
                    double[] v1 = v[a + 1];
                    double[] v2 = v[a + 2];
                    double[] v3 = v[a + 3];
                    // eight accumulators in registers (locals, not an array: the JIT keeps them unboxed)
                    DoubleVector c00 = DoubleVector.fromArray(S, y0, b);
                    DoubleVector c01 = DoubleVector.fromArray(S, y0, b + lanes);
                    DoubleVector c10 = DoubleVector.fromArray(S, y1, b);
                    DoubleVector c11 = DoubleVector.fromArray(S, y1, b + lanes);
                    DoubleVector c20 = DoubleVector.fromArray(S, y2, b);
                    DoubleVector c21 = DoubleVector.fromArray(S, y2, b + lanes);
                    DoubleVector c30 = DoubleVector.fromArray(S, y3, b);
                    DoubleVector c31 = DoubleVector.fromArray(S, y3, b + lanes);
                    for (int q = 0; q + 4 <= p1 - p0; q += 4) {
                        int o = q * w;
                        int p = p0 + q;
                        DoubleVector t00 = DoubleVector.fromArray(S, packed, o);
                        DoubleVector t01 = DoubleVector.fromArray(S, packed, o + lanes);
                        DoubleVector t10 = DoubleVector.fromArray(S, packed, o + w);
                        DoubleVector t11 = DoubleVector.fromArray(S, packed, o + w + lanes);
                        DoubleVector t20 = DoubleVector.fromArray(S, packed, o + 2 * w);
                        DoubleVector t21 = DoubleVector.fromArray(S, packed, o + 2 * w + lanes);
                        DoubleVector t30 = DoubleVector.fromArray(S, packed, o + 3 * w);
                        DoubleVector t31 = DoubleVector.fromArray(S, packed, o + 3 * w + lanes);
                        // Written out row by row: a helper method for the four terms is not inlined
                        // this deep into the Vector API's own calls and runs ~10x slower (measured).
                        double x0;
                        double x1;
                        double x2;
                        double x3;
                        x0 = v0[p];
                        x1 = v0[p + 1];
                        x2 = v0[p + 2];
                        x3 = v0[p + 3];
                        c00 = c00.add(t00.mul(x0).add(t10.mul(x1)).add(t20.mul(x2)).add(t30.mul(x3)));
                        c01 = c01.add(t01.mul(x0).add(t11.mul(x1)).add(t21.mul(x2)).add(t31.mul(x3)));
                        x0 = v1[p];
                        x1 = v1[p + 1];
                        x2 = v1[p + 2];
                        x3 = v1[p + 3];
                        c10 = c10.add(t00.mul(x0).add(t10.mul(x1)).add(t20.mul(x2)).add(t30.mul(x3)));
                        c11 = c11.add(t01.mul(x0).add(t11.mul(x1)).add(t21.mul(x2)).add(t31.mul(x3)));
                        x0 = v2[p];
                        x1 = v2[p + 1];
                        x2 = v2[p + 2];
                        x3 = v2[p + 3];
                        c20 = c20.add(t00.mul(x0).add(t10.mul(x1)).add(t20.mul(x2)).add(t30.mul(x3)));
                        c21 = c21.add(t01.mul(x0).add(t11.mul(x1)).add(t21.mul(x2)).add(t31.mul(x3)));
                        x0 = v3[p];
                        x1 = v3[p + 1];
                        x2 = v3[p + 2];
                        x3 = v3[p + 3];
                        c30 = c30.add(t00.mul(x0).add(t10.mul(x1)).add(t20.mul(x2)).add(t30.mul(x3)));
                        c31 = c31.add(t01.mul(x0).add(t11.mul(x1)).add(t21.mul(x2)).add(t31.mul(x3)));
                    }
                    c00.intoArray(y0, b);
                    c01.intoArray(y0, b + lanes);
                    c10.intoArray(y1, b);
                    c11.intoArray(y1, b + lanes);
                    c20.intoArray(y2, b);
                    c21.intoArray(y2, b + lanes);
                    c30.intoArray(y3, b);
                    c31.intoArray(y3, b + lanes);
                }
                for (; a < Math.min(m, b + w); a++) {
                    scalarTerms(g[a], v[a], t, p0, p1, Math.max(b, a), b + w);
                }
            }
            for (int a = 0; a < m; a++) { // columns after the last full block
                scalarTerms(g[a], v[a], t, p0, p1, Math.max(b, a), m);
            }
        }
    }

    private static void scalarTerms(double[] y, double[] va, double[][] t, int p0, int p1, int from, int to) {
        for (int p = p0; p + 4 <= p1; p += 4) {
            double x0 = va[p];
            double x1 = va[p + 1];
            double x2 = va[p + 2];
            double x3 = va[p + 3];
            double[] q0 = t[p];
            double[] q1 = t[p + 1];
            double[] q2 = t[p + 2];
            double[] q3 = t[p + 3];
            for (int j = from; j < to; j++) {
                y[j] += x0 * q0[j] + x1 * q1[j] + x2 * q2[j] + x3 * q3[j];
            }
        }
    }
}
