package io.modelgate.demo;

/**
 * Logistic regression fitted by Newton's method on standardised features: small, exact, and real,
 * so the demo's models are trained rather than invented.
 */
final class LogisticModel {
    private final double[] mean;
    private final double[] scale;
    private final double[] weights; // intercept first

    private LogisticModel(double[] mean, double[] scale, double[] weights) {
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
    }

    static LogisticModel fit(double[][] x, double[] y, double l2) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < d; j++) {
            scale[j] = scale[j] > 0 ? Math.sqrt(scale[j]) : 1;
        }
        LogisticModel m = new LogisticModel(mean, scale, new double[d + 1]);
        for (int iteration = 0; iteration < 25; iteration++) {
            double[] gradient = new double[d + 1];
            double[][] hessian = new double[d + 1][d + 1];
            for (int i = 0; i < n; i++) {
                double[] z = m.features(x[i]);
                double p = m.probability(z);
                double w = p * (1 - p);
                for (int a = 0; a <= d; a++) {
                    gradient[a] += (p - y[i]) * z[a];
                    for (int b = 0; b <= a; b++) {
                        hessian[a][b] += w * z[a] * z[b];
                    }
                }
            }
            for (int a = 0; a <= d; a++) {
                for (int b = 0; b < a; b++) {
                    hessian[b][a] = hessian[a][b];
                }
                if (a > 0) {
                    gradient[a] += l2 * m.weights[a];
                    hessian[a][a] += l2;
                }
            }
            double[] step = solve(hessian, gradient);
            double size = 0;
            for (int a = 0; a <= d; a++) {
                m.weights[a] -= step[a];
                size = Math.max(size, Math.abs(step[a]));
            }
            if (size < 1e-9) {
                break;
            }
        }
        return m;
    }

    /** The fitted model as a small JSON document: the artifact the registry digests and stores. */
    String toJson(java.util.List<String> features) {
        StringBuilder b = new StringBuilder("{\n  \"type\": \"logistic_regression\",\n  \"features\": [");
        for (int j = 0; j < features.size(); j++) {
            b.append(j == 0 ? "" : ", ").append('"').append(features.get(j)).append('"');
        }
        b.append("],\n  \"mean\": ").append(java.util.Arrays.toString(mean))
                .append(",\n  \"scale\": ").append(java.util.Arrays.toString(scale))
                .append(",\n  \"weights\": ").append(java.util.Arrays.toString(weights)).append("\n}\n");
        return b.toString();
    }

    double predict(double[] row) {
        return probability(features(row));
    }

    private double[] features(double[] row) {
        double[] z = new double[row.length + 1];
        z[0] = 1;
        for (int j = 0; j < row.length; j++) {
            z[j + 1] = (row[j] - mean[j]) / scale[j];
        }
        return z;
    }

    private double probability(double[] z) {
        double s = 0;
        for (int a = 0; a < z.length; a++) {
            s += weights[a] * z[a];
        }
        return 1 / (1 + Math.exp(-s));
    }

    /** Gaussian elimination with partial pivoting; the systems here are a dozen unknowns. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        double[] v = b.clone();
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            double tv = v[col];
            v[col] = v[pivot];
            v[pivot] = tv;
            if (Math.abs(m[col][col]) < 1e-12) {
                continue;
            }
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                v[r] -= f * v[col];
                for (int k = col; k < n; k++) {
                    m[r][k] -= f * m[col][k];
                }
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = v[i];
            for (int k = i + 1; k < n; k++) {
                s -= m[i][k] * x[k];
            }
            x[i] = Math.abs(m[i][i]) < 1e-12 ? 0 : s / m[i][i];
        }
        return x;
    }
}
