package dev.parley.insights.vector;

import static java.util.Objects.requireNonNull;

/**
 * A k-nearest-neighbour graph over n points (the point itself excluded), rows sorted by distance.
 * The shared currency between neighbour search ({@code knn}) and its consumers ({@code umap}).
 *
 * @param n number of points
 * @param k neighbours per point
 * @param indices row-major n x k neighbour indexes ({@code -1} where fewer than k exist)
 * @param distances row-major n x k Euclidean distances, ascending per row ({@code +inf} for missing)
 */
public record NeighbourGraph(int n, int k, int[] indices, float[] distances) {
  public NeighbourGraph {
    requireNonNull(indices, "indices is null");
    requireNonNull(distances, "distances is null");
    if (n < 0 || k < 0) {
      throw new IllegalArgumentException("n and k must be >= 0, found n=" + n + ", k=" + k);
    }
    if (indices.length != (long) n * k || distances.length != (long) n * k) {
      throw new IllegalArgumentException("indices and distances must have n*k=" + ((long) n * k) + " entries, found "
          + indices.length + " and " + distances.length);
    }
  }

  public int neighbour(int point, int rank) {
    return indices[point * k + rank];
  }

  public float distance(int point, int rank) {
    return distances[point * k + rank];
  }
}
