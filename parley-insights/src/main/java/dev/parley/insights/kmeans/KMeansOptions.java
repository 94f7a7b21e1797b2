package dev.parley.insights.kmeans;

/**
 * k-means configuration.
 *
 * @param k number of clusters (capped at the number of distinct points)
 * @param maxIterations Lloyd iterations at most per restart
 * @param tolerance stop when the relative inertia improvement falls below this
 * @param restarts independent k-means++ seedings; the lowest inertia wins
 * @param spherical L2-normalise centroids after each update (cosine k-means for embeddings)
 */
public record KMeansOptions(int k, int maxIterations, double tolerance, int restarts, boolean spherical) {
  public KMeansOptions {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, found " + k);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, found " + maxIterations);
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("tolerance must be >= 0, found " + tolerance);
    }
    if (restarts < 1) {
      throw new IllegalArgumentException("restarts must be >= 1, found " + restarts);
    }
  }

  /** Defaults: 100 iterations, tolerance 1e-4, one restart, Euclidean. */
  public static KMeansOptions of(int k) {
    return new KMeansOptions(k, 100, 1e-4, 1, false);
  }

  public KMeansOptions withRestarts(int n) {
    return new KMeansOptions(k, maxIterations, tolerance, n, spherical);
  }

  public KMeansOptions withSpherical(boolean s) {
    return new KMeansOptions(k, maxIterations, tolerance, restarts, s);
  }
}
