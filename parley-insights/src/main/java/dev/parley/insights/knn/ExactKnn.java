package dev.parley.insights.knn;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.vector.NeighbourGraph;
import dev.parley.insights.vector.VectorOps;
import dev.parley.insights.vector.Vectors;

/**
 * Exact k-nearest neighbours by brute force, O(n^2 d): the reference for {@link NnDescent} and the
 * method of choice for small n. Rows are scored with batched dot products
 * ({@code |a-b|^2 = |a|^2 + |b|^2 - 2 a.b}), parallel over query rows (each row is independent, so
 * the result does not depend on the thread count).
 */
public final class ExactKnn {
  private ExactKnn() {}

  /** @param pool threads for the query rows (the graph does not depend on them) */
  public static NeighbourGraph build(float[][] points, int k, VectorOps ops, ComputePool pool) {
    requireNonNull(points, "points is null");
    requireNonNull(ops, "ops is null");
    requireNonNull(pool, "pool is null");
    int n = points.length;
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, found " + k);
    }
    int dim = n == 0 ? 0 : points[0].length;
    int kk = Math.min(k, Math.max(0, n - 1));
    float[] flat = Vectors.flatten(points, dim);
    float[] norms = new float[n];
    for (int i = 0; i < n; i++) {
      norms[i] = ops.dot(flat, i * dim, flat, i * dim, dim);
    }
    int[] idx = new int[n * kk];
    float[] dist = new float[n * kk];
    pool.parallelFor(0, n, 256, (from, to) -> {
      float[] dots = new float[n];
      int[] topI = new int[kk];
      float[] topD = new float[kk];
      for (int i = from; i < to; i++) {
        ops.dotRows(flat, i * dim, flat, 0, n, dim, dots, 0);
        int size = 0;
        for (int j = 0; j < n; j++) {
          if (j == i) {
            continue;
          }
          float d = Math.max(0f, norms[i] + norms[j] - 2 * dots[j]);
          if (size < kk) {
            size = TopK.insert(topI, topD, size, j, d);
          } else if (d < topD[kk - 1]) {
            TopK.insert(topI, topD, size, j, d);
          }
        }
        for (int r = 0; r < kk; r++) {
          idx[i * kk + r] = topI[r];
          dist[i * kk + r] = (float) Math.sqrt(topD[r]);
        }
      }
    });
    return new NeighbourGraph(n, kk, idx, dist);
  }
}
