package dev.parley.insights.vector;

/**
 * Dense float kernels used by every clustering stage. Two implementations share this contract:
 * {@link ScalarVectorOps} (plain Java, always available) and a Vector API one (SIMD through the
 * incubator module {@code jdk.incubator.vector}), chosen once by {@link VectorizationProvider}.
 *
 * <p>Kernels trust their arguments (offsets and lengths in range): the public algorithm facades
 * validate. Results of the two implementations differ only by float rounding order.
 */
public interface VectorOps {
  /** Implementation name, for logs and benchmark output ({@code scalar} or {@code panama}). */
  String name();

  /** Dot product of {@code a[aOff, aOff+len)} and {@code b[bOff, bOff+len)}. */
  float dot(float[] a, int aOff, float[] b, int bOff, int len);

  /** Squared Euclidean distance of {@code a[aOff, aOff+len)} and {@code b[bOff, bOff+len)}. */
  float squaredDistance(float[] a, int aOff, float[] b, int bOff, int len);

  /**
   * Dot products of one query against {@code count} rows stored contiguously in {@code rows}
   * (row r at {@code rowsOff + r * dim}); writes {@code out[outOff + r]}. The batch form lets SIMD
   * implementations keep the query in registers across rows.
   */
  void dotRows(float[] query, int qOff, float[] rows, int rowsOff, int count, int dim, float[] out, int outOff);

  /** {@code y[yOff + i] += alpha * x[i]} in double precision (CF linear sums). */
  void addScaled(double[] y, int yOff, float[] x, double alpha, int len);

  default float dot(float[] a, float[] b) {
    return dot(a, 0, b, 0, a.length);
  }

  default float squaredDistance(float[] a, float[] b) {
    return squaredDistance(a, 0, b, 0, a.length);
  }
}
