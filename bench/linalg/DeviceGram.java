/*
 * What `linearAlgebra: backend` costs or saves on this machine (issue 22: probing on the
 * training device; docs/DESIGN.md §5): the row-space Gram matrix K = X Xᵀ of a wide layer,
 * 2,000 fit samples × 6,272 features (cnn-small's block1), computed the two ways the product
 * computes it, in one process, each REPEATS times, one thread:
 *
 *   infodyn        Kernels.addProductUpper, the upper triangle (n²d/2 multiply-adds);
 *   <backend>      RowSpace.addGramUpper through that backend's DeviceAlgebra on the CPU: column
 *                  blocks of 2,097 features (32 MB) sent to the backend, which multiplies the
 *                  full n × n block product (n²d multiply-adds), added on the host.
 *
 * Both are package-private in the product and reached by reflection from the class path. GFMA/s
 * counts the triangle (12.5 G multiply-adds) for both, so the numbers compare wall times. On a
 * GPU the backend's column is the one that matters; this machine has none.
 *
 * Run: bench/linalg/device-gram.sh [REPEATS] [BACKENDS...]
 */
import java.lang.reflect.Method;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;

import org.infodyn.api.backend.Backend;
import org.infodyn.api.backend.BuildOptions;
import org.infodyn.api.backend.DeviceAlgebra;

public class DeviceGram {
    private static final int N = 2000;
    private static final int D = 6272;

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<String> ids = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("djl", "tf", "dl4j");
        Random random = new Random(1);
        double[][] rows = new double[N][D];
        double[][] columns = new double[D][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < D; j++) {
                rows[i][j] = random.nextGaussian();
                columns[j][i] = rows[i][j];
            }
        }
        Method own = Class.forName("org.infodyn.probes.decoder.Kernels").getDeclaredMethod("addProductUpper", double[][].class,
                double[][].class, double[][].class, int.class, int.class, int.class);
        own.setAccessible(true);
        Method device = Class.forName("org.infodyn.probes.decoder.RowSpace").getDeclaredMethod("addGramUpper", double[][].class,
                double[][].class, int.class, DeviceAlgebra.class);
        device.setAccessible(true);
        List<Backend> backends = ids.stream().map(id -> ServiceLoader.load(Backend.class).stream().map(ServiceLoader.Provider::get)
                .filter(b -> b.id().equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException("no backend " + id))).toList();
        double fma = (double) N * N / 2 * D;
        System.out.printf("Gram of %d × %d, one thread, GFMA/s of the upper triangle%n", N, D);
        for (int r = 0; r < repeats; r++) {
            double[][] reference = new double[N][N];
            long t0 = System.nanoTime();
            own.invoke(null, reference, rows, columns, 0, N, D);
            report("infodyn", fma, System.nanoTime() - t0, 0);
            for (Backend b : backends) {
                DeviceAlgebra algebra = b.algebra(new BuildOptions("cpu", 1)).orElseThrow();
                double[][] k = new double[N][N];
                t0 = System.nanoTime();
                device.invoke(null, k, rows, D, algebra);
                report(b.id() + " (" + algebra.device().id() + ")", fma, System.nanoTime() - t0, largestRelativeDifference(k, reference));
            }
        }
    }

    private static void report(String who, double fma, long nanos, double difference) {
        System.out.printf("  %-12s %7.0f ms  %5.1f GFMA/s  largest relative difference from infodyn's %.1e%n", who, nanos / 1e6,
                fma / nanos, difference);
    }

    private static double largestRelativeDifference(double[][] a, double[][] b) {
        double worst = 0;
        for (int i = 0; i < N; i++) {
            for (int j = i; j < N; j++) {
                worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]) / Math.sqrt(b[i][i] * b[j][j]));
            }
        }
        return worst;
    }
}
