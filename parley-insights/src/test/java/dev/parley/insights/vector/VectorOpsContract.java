package dev.parley.insights.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

/** The contract every {@link VectorOps} implementation passes (called by each implementation's test). */
final class VectorOpsContract {
  private VectorOpsContract() {}

  static void check(VectorOps ops) {
    SplittableRandom rng = new SplittableRandom(1);
    for (int len : new int[] {0, 1, 3, 7, 16, 33, 384, 1000, 4096}) {
      float[] a = new float[len + 5];
      float[] b = new float[len + 5];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) rng.nextGaussian();
        b[i] = (float) rng.nextGaussian();
      }
      double dot = 0;
      double d2 = 0;
      for (int i = 0; i < len; i++) {
        dot += (double) a[i + 2] * b[i + 3];
        double d = a[i + 2] - b[i + 3];
        d2 += d * d;
      }
      double tol = 1e-4 * Math.max(1, Math.sqrt(len));
      assertThat((double) ops.dot(a, 2, b, 3, len)).isCloseTo(dot, within(tol));
      assertThat((double) ops.squaredDistance(a, 2, b, 3, len)).isCloseTo(d2, within(tol * 4));
    }
    int dim = 37;
    int rows = 11;
    float[] matrix = new float[3 + rows * dim];
    float[] q = new float[dim + 1];
    for (int i = 0; i < matrix.length; i++) {
      matrix[i] = (float) rng.nextGaussian();
    }
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) rng.nextGaussian();
    }
    float[] out = new float[rows + 2];
    ops.dotRows(q, 1, matrix, 3, rows, dim, out, 2);
    for (int r = 0; r < rows; r++) {
      assertThat(out[r + 2]).isCloseTo(ScalarVectorOps.INSTANCE.dot(q, 1, matrix, 3 + r * dim, dim), within(1e-4f));
    }
    double[] y = new double[5];
    ops.addScaled(y, 1, new float[] {1, 2, 3}, 2.0, 3);
    assertThat(y).containsExactly(0, 2, 4, 6, 0);
  }
}
