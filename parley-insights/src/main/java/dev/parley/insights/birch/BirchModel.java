package dev.parley.insights.birch;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.vector.Vectors;

/**
 * The BIRCH coreset: m micro-clusters with their clustering features, and the micro-cluster of every
 * fitted point. Immutable (arrays are copied on the way in and out).
 */
public final class BirchModel {
  private final int dim;
  private final long[] counts;
  private final double[] sums;
  private final double[] squares;
  private final int[] assignments;
  private final double threshold;

  /**
   * @param dim dimension of the points
   * @param counts n of each micro-cluster
   * @param sums row-major m x dim linear sums
   * @param squares sum of squared norms per micro-cluster
   * @param assignments micro-cluster of each fitted point
   * @param threshold final radius threshold
   */
  public BirchModel(int dim, long[] counts, double[] sums, double[] squares, int[] assignments, double threshold) {
    requireNonNull(counts, "counts is null");
    requireNonNull(sums, "sums is null");
    requireNonNull(squares, "squares is null");
    requireNonNull(assignments, "assignments is null");
    if (sums.length != counts.length * dim || squares.length != counts.length) {
      throw new IllegalArgumentException("CF arrays disagree: counts " + counts.length + ", sums " + sums.length
          + " (expected " + counts.length * dim + "), squares " + squares.length);
    }
    for (int a : assignments) {
      if (a < 0 || a >= counts.length) {
        throw new IllegalArgumentException("assignment out of range [0, " + counts.length + "): " + a);
      }
    }
    this.dim = dim;
    this.counts = counts.clone();
    this.sums = sums.clone();
    this.squares = squares.clone();
    this.assignments = assignments.clone();
    this.threshold = threshold;
  }

  /** Number of micro-clusters. */
  public int size() {
    return counts.length;
  }

  public int dimension() {
    return dim;
  }

  public double threshold() {
    return threshold;
  }

  public long count(int m) {
    return counts[m];
  }

  public long[] counts() {
    return counts.clone();
  }

  /** Total number of points summarised. */
  public long totalCount() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  /** Copy of the linear sum of micro-cluster m. */
  public double[] linearSum(int m) {
    double[] out = new double[dim];
    System.arraycopy(sums, m * dim, out, 0, dim);
    return out;
  }

  public double squaredSum(int m) {
    return squares[m];
  }

  /** Mean of micro-cluster m. */
  public float[] centroid(int m) {
    float[] out = new float[dim];
    double inv = 1.0 / counts[m];
    for (int d = 0; d < dim; d++) {
      out[d] = (float) (sums[m * dim + d] * inv);
    }
    return out;
  }

  /** L2-normalised mean direction of micro-cluster m (cosine geometry of embeddings). */
  public float[] direction(int m) {
    return Vectors.normalized(linearSum(m));
  }

  /** Radius {@code sqrt(SS/n - |LS/n|^2)}. */
  public double radius(int m) {
    double n = counts[m];
    double norm = 0;
    for (int d = 0; d < dim; d++) {
      double c = sums[m * dim + d] / n;
      norm += c * c;
    }
    return Math.sqrt(Math.max(0, squares[m] / n - norm));
  }

  /** Copy of the micro-cluster of each fitted point. */
  public int[] assignments() {
    return assignments.clone();
  }

  public int assignment(int point) {
    return assignments[point];
  }

  public int pointCount() {
    return assignments.length;
  }

  /** Raw views for the trainer's merge (not exposed). */
  double[] sumsView() {
    return sums;
  }

  long[] countsView() {
    return counts;
  }

  double[] squaresView() {
    return squares;
  }

  int[] assignmentsView() {
    return assignments;
  }
}
