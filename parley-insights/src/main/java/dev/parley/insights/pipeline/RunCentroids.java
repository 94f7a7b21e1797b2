package dev.parley.insights.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Leaf centroids of a run in the original embedding space, L2-normalised, in {@code ids} order
 * ({@code centroids.f32} + {@code centroids.json}).
 *
 * @param model id of the embedding model whose space these live in
 * @param thresholds per leaf, the cosine similarity to the centroid that 95 % of its members reach: online
 *     assignment admits a new point to its nearest leaf only above it, else calls it noise
 */
public record RunCentroids(List<String> ids, int dimension, String model, float[][] vectors, double[] thresholds) {
  /** Share of a leaf's members above its admission threshold. */
  public static final double ADMITTED_SHARE = 0.95;

  public RunCentroids {
    ids = List.copyOf(requireNonNull(ids, "ids is null"));
    requireNonNull(model, "model is null");
    requireNonNull(vectors, "vectors is null");
    requireNonNull(thresholds, "thresholds is null");
    if (vectors.length != ids.size() || thresholds.length != ids.size()) {
      throw new IllegalArgumentException("vectors and thresholds must have one entry per id, expected " + ids.size()
          + ", found " + vectors.length + " and " + thresholds.length);
    }
    for (int i = 0; i < vectors.length; i++) {
      if (vectors[i].length != dimension) {
        throw new IllegalArgumentException("centroid " + ids.get(i) + " has dimension " + vectors[i].length + ", expected " + dimension);
      }
    }
  }
}
