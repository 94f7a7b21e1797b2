package dev.parley.insights.hierarchy;

import static java.util.Objects.requireNonNull;

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

  /** A builder holding the top (categories) level of {@link HierarchyParams#defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these parameters. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  static void check(boolean ok, String name, String bound, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(name + " must be " + bound + ", found " + value);
    }
  }

  /** Named construction of a level; {@link #build()} validates. */
  public static final class Builder {
    // The categories level of the defaults (see HierarchyParams#defaults for how they were tuned).
    private int neighbours = 30;
    private int umapComponents = 5;
    private double umapMinDist = 0.0;
    private int umapEpochs = 0;
    private double minClusterShare = 0.02;
    private int minClusterFloor = 15;
    private int minSamples = 10;
    private Selection selection = Selection.EOM;
    private double budgetShare = 0.016;
    private double noiseTolerance = 0.05;
    private double noiseTightening = 0.5;
    private int noisePasses = 2;

    private Builder() {}

    private Builder(LevelParams p) {
      neighbours = p.neighbours;
      umapComponents = p.umapComponents;
      umapMinDist = p.umapMinDist;
      umapEpochs = p.umapEpochs;
      minClusterShare = p.minClusterShare;
      minClusterFloor = p.minClusterFloor;
      minSamples = p.minSamples;
      selection = p.selection;
      budgetShare = p.budgetShare;
      noiseTolerance = p.noiseTolerance;
      noiseTightening = p.noiseTightening;
      noisePasses = p.noisePasses;
    }

    public Builder neighbours(int v) {
      neighbours = v;
      return this;
    }

    public Builder umapComponents(int v) {
      umapComponents = v;
      return this;
    }

    public Builder umapMinDist(double v) {
      umapMinDist = v;
      return this;
    }

    public Builder umapEpochs(int v) {
      umapEpochs = v;
      return this;
    }

    public Builder minClusterShare(double v) {
      minClusterShare = v;
      return this;
    }

    public Builder minClusterFloor(int v) {
      minClusterFloor = v;
      return this;
    }

    public Builder minSamples(int v) {
      minSamples = v;
      return this;
    }

    public Builder selection(Selection v) {
      selection = requireNonNull(v, "selection is null");
      return this;
    }

    public Builder budgetShare(double v) {
      budgetShare = v;
      return this;
    }

    public Builder noiseTolerance(double v) {
      noiseTolerance = v;
      return this;
    }

    public Builder noiseTightening(double v) {
      noiseTightening = v;
      return this;
    }

    public Builder noisePasses(int v) {
      noisePasses = v;
      return this;
    }

    public LevelParams build() {
      return new LevelParams(neighbours, umapComponents, umapMinDist, umapEpochs, minClusterShare, minClusterFloor,
          minSamples, selection, budgetShare, noiseTolerance, noiseTightening, noisePasses);
    }
  }
}
