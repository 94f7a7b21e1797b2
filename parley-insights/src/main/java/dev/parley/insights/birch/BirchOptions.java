package dev.parley.insights.birch;

/**
 * BIRCH configuration.
 *
 * @param maxMicroClusters budget of leaf entries: when exceeded, the threshold grows and the tree is
 *     rebuilt, so the coreset ends between about {@code rebuildTarget * maxMicroClusters} and the budget
 * @param initialThreshold starting radius threshold (0: only duplicates merge until the budget is hit)
 * @param branching entries per non-leaf node
 * @param leafCapacity entries per leaf node
 * @param rebuildQuantile largest quantile of nearest-sibling merge radii taken as the next threshold (the
 *     quantile used is the share of entries over the rebuild target, so the coreset lands near its budget)
 * @param rebuildTarget after a rebuild, grow the threshold again until the entry count is at most this
 *     share of the budget (fewer rebuilds later)
 * @param partitions independent CF-trees built in parallel over interleaved chunks, then merged; part
 *     of the result (not a thread count), so fixed for determinism
 */
public record BirchOptions(int maxMicroClusters, double initialThreshold, int branching, int leafCapacity,
                           double rebuildQuantile, double rebuildTarget, int partitions) {
  public BirchOptions {
    if (maxMicroClusters < 2) {
      throw new IllegalArgumentException("maxMicroClusters must be >= 2, found " + maxMicroClusters);
    }
    if (!(initialThreshold >= 0)) {
      throw new IllegalArgumentException("initialThreshold must be >= 0, found " + initialThreshold);
    }
    if (branching < 2 || leafCapacity < 2) {
      throw new IllegalArgumentException("branching and leafCapacity must be >= 2, found " + branching + " and " + leafCapacity);
    }
    if (!(rebuildQuantile > 0 && rebuildQuantile <= 1)) {
      throw new IllegalArgumentException("rebuildQuantile must be in (0, 1], found " + rebuildQuantile);
    }
    if (!(rebuildTarget > 0 && rebuildTarget <= 1)) {
      throw new IllegalArgumentException("rebuildTarget must be in (0, 1], found " + rebuildTarget);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, found " + partitions);
    }
  }

  /** Defaults around a budget: branching 32, leaf capacity 32, median rebuild, one partition. */
  public static BirchOptions defaults(int maxMicroClusters) {
    return new BirchOptions(maxMicroClusters, 0, 32, 32, 0.5, 0.6, 1);
  }

  public BirchOptions withBranching(int b) {
    return new BirchOptions(maxMicroClusters, initialThreshold, b, leafCapacity, rebuildQuantile, rebuildTarget, partitions);
  }

  public BirchOptions withLeafCapacity(int c) {
    return new BirchOptions(maxMicroClusters, initialThreshold, branching, c, rebuildQuantile, rebuildTarget, partitions);
  }

  public BirchOptions withPartitions(int p) {
    return new BirchOptions(maxMicroClusters, initialThreshold, branching, leafCapacity, rebuildQuantile, rebuildTarget, p);
  }

  /**
   * The coreset budget for n points: {@code min(n, max(floor, n * fraction))}, capped. With floor 20,000
   * and fraction 1/20, inputs up to 20k points are not compressed at all (best quality, UMAP and
   * HDBSCAN are cheap there), 1M points give 50k micro-clusters, and the cap (1M) bounds the memory of
   * the later stages at full scale (150M segments).
   */
  public static int budgetFor(long n, int floor, double fraction, int cap) {
    long scaled = (long) Math.ceil(n * fraction);
    return (int) Math.max(2, Math.min(n, Math.min(cap, Math.max(floor, scaled))));
  }
}
