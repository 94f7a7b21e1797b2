package dev.parley.insights.pipeline;

import static java.util.Objects.requireNonNull;

/**
 * Online assignment against a finished run: a new point goes to the leaf with the most similar centroid
 * (cosine; vectors are L2-normalised), and is noise when that similarity is below the leaf's admission
 * threshold (the similarity 95 % of the leaf's own members reach, {@link RunCentroids#thresholds()}).
 *
 * <p>Exact brute force: at the few thousand leaves a run has, one pass over the centroids costs well
 * under a millisecond per point at 384-D (DESIGN §7), so no approximate index is needed here.
 */
public final class CentroidAssigner {
  private final RunCentroids centroids;

  public CentroidAssigner(RunCentroids centroids) {
    this.centroids = requireNonNull(centroids, "centroids is null");
  }

  /**
   * @param leaf index into {@link RunCentroids#ids()} of the nearest leaf
   * @param admitted false when the point is noise (below the leaf's threshold)
   */
  public record Assignment(int leaf, double similarity, boolean admitted) {}

  public Assignment assign(float[] vector) {
    requireNonNull(vector, "vector is null");
    if (vector.length != centroids.dimension()) {
      throw new IllegalArgumentException("vector must have the run's dimension " + centroids.dimension() + ", found " + vector.length);
    }
    if (centroids.ids().isEmpty()) {
      return new Assignment(-1, Double.NaN, false);
    }
    int best = 0;
    double bestSim = Double.NEGATIVE_INFINITY;
    float[][] rows = centroids.vectors();
    for (int j = 0; j < rows.length; j++) {
      float[] c = rows[j];
      double s = 0;
      for (int d = 0; d < c.length; d++) {
        s += c[d] * vector[d];
      }
      if (s > bestSim) {
        bestSim = s;
        best = j;
      }
    }
    return new Assignment(best, bestSim, bestSim >= centroids.thresholds()[best]);
  }
}
