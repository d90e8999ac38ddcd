package org.infodyn.engine.run;

import java.util.Arrays;

import org.infodyn.api.random.Rng;

/**
 * The {@code pca:D} reduction: the coordinates of every sample on the first D principal directions
 * of the fit samples (centred with their mean). Found by subspace iteration (Halko, Martinsson &
 * Tropp 2011, algorithm 4.4: a seeded Gaussian start of D + {@value #OVERSAMPLE} directions,
 * {@value #ITERATIONS} rounds of multiplication by XᵀX with re-orthonormalisation), then a
 * Rayleigh–Ritz step whose small eigenproblem is solved by cyclic Jacobi rotations. Exact to
 * within the subspace iteration's convergence for the leading directions, which is what a
 * reduction needs; deterministic for a given seed. Cost about {@code 4·(ITERATIONS+1)·n·d·(D+10)}
 * multiply-adds per probe point.
 */
final class PrincipalComponents {
    /** Extra directions iterated beyond the D kept (they speed up convergence of the last kept ones). */
    static final int OVERSAMPLE = 10;
    /** Rounds of subspace iteration. */
    static final int ITERATIONS = 4;

    private PrincipalComponents() {
    }

    /**
     * @param x {@code [n, d]} row-major
     * @param from the first of the rows on which the directions are found
     * @param to one past the last of them
     * @param components D
     * @return {@code [n, D]} row-major: each row's coordinates, centred with those rows' mean
     */
    static float[] project(float[] x, int n, int d, int from, int to, int components, long seed) {
        int fitRows = to - from;
        double[] mean = new double[d];
        for (int i = from; i < to; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= fitRows;
        }
        double[][] centred = new double[fitRows][d];
        for (int i = 0; i < fitRows; i++) {
            for (int j = 0; j < d; j++) {
                centred[i][j] = x[(from + i) * d + j] - mean[j];
            }
        }
        int q = Math.min(components + OVERSAMPLE, Math.min(d, fitRows));
        double[][] basis = new double[d][q]; // rows: one per feature
        Rng rng = new Rng(seed);
        for (double[] row : basis) {
            for (int k = 0; k < q; k++) {
                row[k] = rng.nextGaussian();
            }
        }
        orthonormalise(basis, q);
        double[][] scores = new double[fitRows][q];
        for (int t = 0; t < ITERATIONS; t++) {
            times(centred, basis, scores, q); // Y = Xc·Q
            double[][] next = new double[d][q];
            for (int i = 0; i < fitRows; i++) { // Q = Xcᵀ·Y
                double[] xi = centred[i];
                double[] yi = scores[i];
                for (int j = 0; j < d; j++) {
                    double a = xi[j];
                    double[] nj = next[j];
                    for (int k = 0; k < q; k++) {
                        nj[k] += a * yi[k];
                    }
                }
            }
            basis = next;
            orthonormalise(basis, q);
        }
        times(centred, basis, scores, q); // Rayleigh–Ritz: S = (XcQ)ᵀ(XcQ), eigenvectors E
        double[][] s = new double[q][q];
        for (double[] yi : scores) {
            for (int a = 0; a < q; a++) {
                double v = yi[a];
                double[] sa = s[a];
                for (int b = 0; b < q; b++) {
                    sa[b] += v * yi[b];
                }
            }
        }
        double[][] e = jacobiEigenvectors(s, q); // columns sorted by eigenvalue, largest first
        double[][] directions = new double[d][components]; // V = Q·E[:, :D]
        for (int j = 0; j < d; j++) {
            double[] qj = basis[j];
            for (int c = 0; c < components; c++) {
                double v = 0;
                for (int k = 0; k < q; k++) {
                    v += qj[k] * e[k][c];
                }
                directions[j][c] = v;
            }
        }
        float[] out = new float[n * components];
        double[] row = new double[components];
        for (int i = 0; i < n; i++) {
            Arrays.fill(row, 0);
            for (int j = 0; j < d; j++) {
                double a = x[i * d + j] - mean[j];
                double[] vj = directions[j];
                for (int c = 0; c < components; c++) {
                    row[c] += a * vj[c];
                }
            }
            for (int c = 0; c < components; c++) {
                out[i * components + c] = (float) row[c];
            }
        }
        return out;
    }

    /** {@code y = x·q} for rows x (n × d) and q (d × cols). */
    private static void times(double[][] x, double[][] q, double[][] y, int cols) {
        for (int i = 0; i < x.length; i++) {
            double[] yi = y[i];
            Arrays.fill(yi, 0);
            double[] xi = x[i];
            for (int j = 0; j < xi.length; j++) {
                double a = xi[j];
                double[] qj = q[j];
                for (int k = 0; k < cols; k++) {
                    yi[k] += a * qj[k];
                }
            }
        }
    }

    /** Orthonormal columns by modified Gram–Schmidt, twice (once is not enough in floating point); a dependent column becomes zero. */
    private static void orthonormalise(double[][] rows, int cols) {
        int d = rows.length;
        double[][] c = new double[cols][d];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < cols; k++) {
                c[k][j] = rows[j][k];
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < cols; k++) {
                double[] ck = c[k];
                for (int m = 0; m < k; m++) {
                    double[] cm = c[m];
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += ck[j] * cm[j];
                    }
                    for (int j = 0; j < d; j++) {
                        ck[j] -= dot * cm[j];
                    }
                }
                double norm = 0;
                for (double v : ck) {
                    norm += v * v;
                }
                norm = Math.sqrt(norm);
                double inv = norm > 1e-300 ? 1 / norm : 0;
                for (int j = 0; j < d; j++) {
                    ck[j] *= inv;
                }
            }
        }
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < cols; k++) {
                rows[j][k] = c[k][j];
            }
        }
    }

    /**
     * The eigenvectors of a small symmetric matrix by cyclic Jacobi rotations, as the columns of
     * the result, sorted by eigenvalue from the largest.
     */
    static double[][] jacobiEigenvectors(double[][] a, int m) {
        double[][] s = new double[m][];
        for (int i = 0; i < m; i++) {
            s[i] = Arrays.copyOf(a[i], m);
        }
        double[][] v = new double[m][m];
        for (int i = 0; i < m; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int p = 0; p < m; p++) {
                diag += s[p][p] * s[p][p];
                for (int r = p + 1; r < m; r++) {
                    off += s[p][r] * s[p][r];
                }
            }
            if (off <= 1e-30 * diag || off == 0) {
                break;
            }
            for (int p = 0; p < m; p++) {
                for (int r = p + 1; r < m; r++) {
                    double apr = s[p][r];
                    if (apr == 0) {
                        continue;
                    }
                    double theta = (s[r][r] - s[p][p]) / (2 * apr);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double sn = t * c;
                    for (int k = 0; k < m; k++) { // columns p, r of S
                        double skp = s[k][p];
                        double skr = s[k][r];
                        s[k][p] = c * skp - sn * skr;
                        s[k][r] = sn * skp + c * skr;
                    }
                    for (int k = 0; k < m; k++) { // rows p, r of S
                        double spk = s[p][k];
                        double srk = s[r][k];
                        s[p][k] = c * spk - sn * srk;
                        s[r][k] = sn * spk + c * srk;
                    }
                    for (int k = 0; k < m; k++) {
                        double vkp = v[k][p];
                        double vkr = v[k][r];
                        v[k][p] = c * vkp - sn * vkr;
                        v[k][r] = sn * vkp + c * vkr;
                    }
                }
            }
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(s[y][y], s[x][x]));
        double[][] sorted = new double[m][m];
        for (int k = 0; k < m; k++) {
            for (int c = 0; c < m; c++) {
                sorted[k][c] = v[k][order[c]];
            }
        }
        return sorted;
    }
}
