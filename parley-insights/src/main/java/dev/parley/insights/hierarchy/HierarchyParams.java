package dev.parley.insights.hierarchy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Every budget, tolerance and schedule of a hierarchical clustering run, recorded in {@code run.json}
 * (a record of plain values: Jackson serialises it as is) and ready for calibration.
 *
 * @param coresetFloor BIRCH budget at least this many micro-clusters (inputs up to it are not compressed)
 * @param coresetFraction BIRCH budget as a share of the input size above the floor
 * @param coresetCap BIRCH budget at most this many micro-clusters
 * @param birchBranching CF-tree branching factor (leaf capacity too)
 * @param birchPartitions CF-trees built in parallel and merged (fixed, so results do not depend on cores)
 * @param exactKnnBelow below this many micro-clusters, the UMAP kNN graph is exact; NN-descent above
 * @param levels the per-depth schedule; its length is the maximum depth
 * @param budgetFloor a cluster is never split for navigability below this many points
 * @param attachQuantile noise micro-clusters join their nearest leaf when at least as similar to its
 *     centroid as this quantile of the leaf's own members (negative: never)
 * @param ejectFence a leaf member whose similarity to the leaf centroid lies below
 *     {@code Q1 - ejectFence * (Q3 - Q1)} of the leaf's similarities (Tukey's far-out fence) becomes
 *     noise: UMAP glues isolated outliers to their nearest cluster, the original space does not
 *     (negative: never)
 */
public record HierarchyParams(int coresetFloor, double coresetFraction, int coresetCap, int birchBranching,
                              int birchPartitions, int exactKnnBelow, List<LevelParams> levels, int budgetFloor,
                              double attachQuantile, double ejectFence) {
  public HierarchyParams {
    requireNonNull(levels, "levels is null");
    levels = List.copyOf(levels);
    LevelParams.check(coresetFloor >= 2, "coresetFloor", ">= 2", coresetFloor);
    LevelParams.check(coresetFraction > 0 && coresetFraction <= 1, "coresetFraction", "in (0, 1]", coresetFraction);
    LevelParams.check(coresetCap >= coresetFloor, "coresetCap", ">= coresetFloor (" + coresetFloor + ")", coresetCap);
    LevelParams.check(birchBranching >= 4, "birchBranching", ">= 4", birchBranching);
    LevelParams.check(birchPartitions >= 1, "birchPartitions", ">= 1", birchPartitions);
    LevelParams.check(exactKnnBelow >= 0, "exactKnnBelow", ">= 0", exactKnnBelow);
    LevelParams.check(!levels.isEmpty() && levels.size() <= 8, "levels", "1 to 8 entries", levels.size());
    LevelParams.check(budgetFloor >= 2, "budgetFloor", ">= 2", budgetFloor);
    LevelParams.check(attachQuantile <= 1, "attachQuantile", "<= 1", attachQuantile);
  }

  /**
   * Defaults tuned on BANKING77 train only (see docs/quality.md; never on a test split): categories,
   * subcategories, clusters. Min cluster sizes are shares of all points (2%, 0.8%, 0.5%), so leaves
   * are never smaller than 0.5% of the input (with a floor of 8 points); UMAP to 5-D with min_dist 0
   * at every depth; EOM selection; a category over 1.6% of the points is split into subcategories, a
   * subcategory over 0.7% into clusters; a leaf over 5% is sharded by k-means. Noise above 5% / 10% /
   * 15% of a split is clustered again with the next level's (finer) sizes, then halved sizes (without
   * it the outcome was bimodal across
   * seeds: one run in three lost a third of the categories to noise); a noise micro-cluster joins its
   * nearest leaf when at least as similar as the leaf's 2% least typical members.
   */
  public static HierarchyParams defaults() {
    return builder().build();
  }

  /** A builder holding the {@link #defaults()}, to change some of them by name. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these parameters. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public int maxDepth() {
    return levels.size();
  }

  public LevelParams level(int depth) {
    return levels.get(Math.min(depth, levels.size() - 1));
  }

  public HierarchyParams withLevels(List<LevelParams> newLevels) {
    return toBuilder().levels(newLevels).build();
  }

  public HierarchyParams withAttachQuantile(double q) {
    return toBuilder().attachQuantile(q).build();
  }

  public HierarchyParams withCoreset(int floor, double fraction, int cap) {
    return toBuilder().coresetFloor(floor).coresetFraction(fraction).coresetCap(cap).build();
  }

  public HierarchyParams withBudgetFloor(int floor) {
    return toBuilder().budgetFloor(floor).build();
  }

  public HierarchyParams withEjectFence(double fence) {
    return toBuilder().ejectFence(fence).build();
  }

  /**
   * Named construction: starts from the defaults (the only place they are written) or from given
   * parameters; {@link #build()} validates.
   */
  public static final class Builder {
    private static final List<LevelParams> DEFAULT_LEVELS = defaultLevels();
    private int coresetFloor = 20_000;
    private double coresetFraction = 0.05;
    private int coresetCap = 1_000_000;
    private int birchBranching = 32;
    private int birchPartitions = 2;
    private int exactKnnBelow = 4_000;
    private List<LevelParams> levels = DEFAULT_LEVELS;
    private int budgetFloor = 50;
    private double attachQuantile = 0.02;
    private double ejectFence = 3.0;

    private Builder() {}

    private Builder(HierarchyParams p) {
      coresetFloor = p.coresetFloor;
      coresetFraction = p.coresetFraction;
      coresetCap = p.coresetCap;
      birchBranching = p.birchBranching;
      birchPartitions = p.birchPartitions;
      exactKnnBelow = p.exactKnnBelow;
      levels = p.levels;
      budgetFloor = p.budgetFloor;
      attachQuantile = p.attachQuantile;
      ejectFence = p.ejectFence;
    }

    /** Categories, subcategories, clusters: each level names only what differs from the one above. */
    private static List<LevelParams> defaultLevels() {
      LevelParams categories = LevelParams.builder().build();
      LevelParams subcategories = categories.toBuilder()
          .neighbours(20).minClusterShare(0.008).minClusterFloor(10).minSamples(6)
          .budgetShare(0.007).noiseTolerance(0.1).noisePasses(1)
          .build();
      LevelParams clusters = subcategories.toBuilder()
          .neighbours(15).minClusterShare(0.005).minClusterFloor(8).minSamples(4)
          .budgetShare(0.05).noiseTolerance(0.15)
          .build();
      return List.of(categories, subcategories, clusters);
    }

    public Builder coresetFloor(int v) {
      coresetFloor = v;
      return this;
    }

    public Builder coresetFraction(double v) {
      coresetFraction = v;
      return this;
    }

    public Builder coresetCap(int v) {
      coresetCap = v;
      return this;
    }

    public Builder birchBranching(int v) {
      birchBranching = v;
      return this;
    }

    public Builder birchPartitions(int v) {
      birchPartitions = v;
      return this;
    }

    public Builder exactKnnBelow(int v) {
      exactKnnBelow = v;
      return this;
    }

    public Builder levels(List<LevelParams> v) {
      levels = requireNonNull(v, "levels is null");
      return this;
    }

    public Builder budgetFloor(int v) {
      budgetFloor = v;
      return this;
    }

    public Builder attachQuantile(double v) {
      attachQuantile = v;
      return this;
    }

    public Builder ejectFence(double v) {
      ejectFence = v;
      return this;
    }

    public HierarchyParams build() {
      return new HierarchyParams(coresetFloor, coresetFraction, coresetCap, birchBranching, birchPartitions,
          exactKnnBelow, levels, budgetFloor, attachQuantile, ejectFence);
    }
  }
}
