package dev.parley.insights.knn;

/**
 * Nearest centre (Euclidean) among a fixed set of centres: the map-back and online-assignment index.
 * Implementations: {@link BruteForceCentreIndex} (exact; SIMD or scalar kernels).
 */
public interface NearestCentreIndex {
  int size();

  int dimension();

  /** Index of the nearest centre to {@code query} (ties: lowest index). */
  int nearest(float[] query);

  /** Nearest centre of every query (in parallel where the index has threads); equal to calling {@link #nearest} on each. */
  int[] nearestAll(float[][] queries);

  /** The {@code k} nearest centres, closest first. */
  int[] nearest(float[] query, int k);
}
