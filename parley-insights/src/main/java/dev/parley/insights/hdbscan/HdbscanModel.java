package dev.parley.insights.hdbscan;

import static java.util.Objects.requireNonNull;

/**
 * The flat clustering extracted from an HDBSCAN* hierarchy.
 *
 * @param labels cluster of each point in {@code [0, clusterCount)}, or {@link #NOISE}
 * @param probabilities membership strength in [0, 1] (0 for noise)
 * @param outlierScores GLOSH outlier score in [0, 1] of every point
 * @param clusterCount number of clusters; every label in {@code [0, clusterCount)} has at least one member
 * @param stabilities excess-of-mass stability of each selected cluster
 * @param mstWeight total weight of the mutual-reachability minimum spanning tree (a checksum for tests)
 * @param stageSeconds wall time of the stages: KD-tree, core distances, MST, extraction
 */
public record HdbscanModel(int[] labels, double[] probabilities, double[] outlierScores, int clusterCount,
                           double[] stabilities, double mstWeight, double[] stageSeconds) {
  public static final int NOISE = -1;

  public HdbscanModel {
    requireNonNull(labels, "labels is null");
    requireNonNull(probabilities, "probabilities is null");
    requireNonNull(outlierScores, "outlierScores is null");
    requireNonNull(stabilities, "stabilities is null");
    requireNonNull(stageSeconds, "stageSeconds is null");
  }

  HdbscanModel withStageSeconds(double[] seconds) {
    return new HdbscanModel(labels, probabilities, outlierScores, clusterCount, stabilities, mstWeight, seconds);
  }

  public int noiseCount() {
    int c = 0;
    for (int l : labels) {
      if (l == NOISE) {
        c++;
      }
    }
    return c;
  }
}
