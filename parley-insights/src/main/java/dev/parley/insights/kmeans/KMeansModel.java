package dev.parley.insights.kmeans;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.vector.VectorOps;
import dev.parley.insights.vector.VectorizationProvider;

/**
 * A fitted k-means partition: centroids, the training assignment, and its weighted inertia.
 *
 * @param centroids k x d
 * @param assignments cluster of each training point
 * @param inertia weighted sum of squared distances to the assigned centroids
 * @param iterations Lloyd iterations run by the winning restart
 */
public record KMeansModel(float[][] centroids, int[] assignments, double inertia, int iterations) {
  public KMeansModel {
    requireNonNull(centroids, "centroids is null");
    requireNonNull(assignments, "assignments is null");
  }

  public int k() {
    return centroids.length;
  }

  /** Nearest centroid of {@code x} (ties: lowest index). */
  public int predict(float[] x) {
    requireNonNull(x, "x is null");
    VectorOps ops = VectorizationProvider.ops();
    int best = 0;
    float bestD = Float.POSITIVE_INFINITY;
    for (int c = 0; c < centroids.length; c++) {
      float d = ops.squaredDistance(x, 0, centroids[c], 0, x.length);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    return best;
  }
}
