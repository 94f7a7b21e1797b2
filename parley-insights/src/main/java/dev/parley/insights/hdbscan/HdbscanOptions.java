package dev.parley.insights.hdbscan;

/**
 * HDBSCAN* configuration. Semantics match Tribuo's {@code HdbscanTrainer(minClusterSize, dist, k, ...)}
 * for unit weights: {@code minSamples} is Tribuo's {@code k} (neighbours for the core distance,
 * <em>including the point itself</em>), and a cluster needs total weight >= {@code minClusterSize}.
 *
 * @param minClusterSize smallest total weight of a cluster
 * @param minSamples cumulative weight (the point's own included) that defines the core distance
 * @param selection excess of mass (stable clusters) or leaf (finest clusters)
 * @param allowSingleCluster whether the root may be selected (one cluster for everything)
 * @param leafSize KD-tree leaf size
 */
public record HdbscanOptions(double minClusterSize, int minSamples, Selection selection, boolean allowSingleCluster, int leafSize) {
  /** Flat cluster extraction from the condensed tree. */
  public enum Selection {
    /** Excess of mass: the most stable non-overlapping clusters (Campello et al. 2013). */
    EOM,
    /** The leaves of the condensed tree: many small, homogeneous clusters. */
    LEAF
  }

  public HdbscanOptions {
    if (!(minClusterSize >= 2)) {
      throw new IllegalArgumentException("minClusterSize must be >= 2, found " + minClusterSize);
    }
    if (minSamples < 1) {
      throw new IllegalArgumentException("minSamples must be >= 1, found " + minSamples);
    }
    if (selection == null) {
      throw new IllegalArgumentException("selection is null");
    }
    if (leafSize < 1) {
      throw new IllegalArgumentException("leafSize must be >= 1, found " + leafSize);
    }
  }

  public static HdbscanOptions of(double minClusterSize, int minSamples) {
    return new HdbscanOptions(minClusterSize, minSamples, Selection.EOM, false, 32);
  }

  public HdbscanOptions withSelection(Selection s) {
    return new HdbscanOptions(minClusterSize, minSamples, s, allowSingleCluster, leafSize);
  }

  public HdbscanOptions withAllowSingleCluster(boolean allow) {
    return new HdbscanOptions(minClusterSize, minSamples, selection, allow, leafSize);
  }
}
