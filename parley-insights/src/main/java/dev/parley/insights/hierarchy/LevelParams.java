package dev.parley.insights.hierarchy;

import dev.parley.insights.hdbscan.HdbscanOptions.Selection;

/**
 * Parameters of one depth of the hierarchy (0 = categories). Broad at the top, fine at the leaves.
 *
 * @param neighbours k of the kNN graph UMAP is built from
 * @param umapComponents UMAP output dimension
 * @param umapMinDist UMAP min_dist (small: tight clusters)
 * @param umapEpochs UMAP epochs (0: automatic)
 * @param minClusterShare HDBSCAN min cluster size as a share of all input points (a global scale, so
 *     that a small subset re-clustered at a fine level cannot be shattered into tiny clusters)
 * @param minClusterFloor HDBSCAN min cluster size at least this many points
 * @param minSamples HDBSCAN min samples (core distance neighbours, the point included)
 * @param selection HDBSCAN flat selection: EOM (stable) or LEAF (fine)
 * @param budgetShare navigability budget: a cluster at this depth holding more than this share of all
 *     points is split further (with the next depth's parameters, or k-means shards at the last depth)
 * @param noiseTolerance noise share of a split above which the noise is clustered again, with the next
 *     (finer) level's parameters
 * @param noiseTightening past the last level, factor on min cluster size and min samples per noise pass
 * @param noisePasses noise passes at most
 */
public record LevelParams(int neighbours, int umapComponents, double umapMinDist, int umapEpochs,
                          double minClusterShare, int minClusterFloor, int minSamples, Selection selection,
                          double budgetShare, double noiseTolerance, double noiseTightening, int noisePasses) {
  public LevelParams {
    check(neighbours >= 2, "neighbours", ">= 2", neighbours);
    check(umapComponents >= 1 && umapComponents <= 32, "umapComponents", "in [1, 32]", umapComponents);
    check(umapMinDist >= 0 && umapMinDist <= 1, "umapMinDist", "in [0, 1]", umapMinDist);
    check(umapEpochs >= 0, "umapEpochs", ">= 0", umapEpochs);
    check(minClusterShare >= 0 && minClusterShare < 1, "minClusterShare", "in [0, 1)", minClusterShare);
    check(minClusterFloor >= 2, "minClusterFloor", ">= 2", minClusterFloor);
    check(minSamples >= 1, "minSamples", ">= 1", minSamples);
    if (selection == null) {
      throw new IllegalArgumentException("selection is null");
    }
    check(budgetShare > 0 && budgetShare <= 1, "budgetShare", "in (0, 1]", budgetShare);
    check(noiseTolerance >= 0 && noiseTolerance <= 1, "noiseTolerance", "in [0, 1]", noiseTolerance);
    check(noiseTightening > 0 && noiseTightening <= 1, "noiseTightening", "in (0, 1]", noiseTightening);
    check(noisePasses >= 0, "noisePasses", ">= 0", noisePasses);
  }

  static void check(boolean ok, String name, String bound, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(name + " must be " + bound + ", found " + value);
    }
  }
}
