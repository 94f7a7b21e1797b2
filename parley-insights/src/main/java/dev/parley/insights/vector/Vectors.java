package dev.parley.insights.vector;

/** Small helpers on dense vectors shared by the clustering packages. */
public final class Vectors {
  private Vectors() {}

  /** L2-normalised float copy of a double vector (a zero vector stays zero). */
  public static float[] normalized(double[] v) {
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    float[] out = new float[v.length];
    if (norm == 0) {
      return out;
    }
    double inv = 1 / Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] * inv);
    }
    return out;
  }

  /** L2-normalised copy. */
  public static float[] normalized(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    float[] out = new float[v.length];
    if (norm == 0) {
      return out;
    }
    double inv = 1 / Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] * inv);
    }
    return out;
  }

  /** Row-major copy of {@code rows} into one contiguous array (n x dim). */
  public static float[] flatten(float[][] rows, int dim) {
    float[] flat = new float[rows.length * dim];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * dim, dim);
    }
    return flat;
  }

  public static double squaredNorm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return s;
  }
}
