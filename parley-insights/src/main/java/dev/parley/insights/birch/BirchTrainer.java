package dev.parley.insights.birch;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.vector.PointSource;
import dev.parley.insights.vector.VectorOps;
import java.util.ArrayList;
import java.util.List;

/**
 * BIRCH coreset construction: one streaming pass over the points builds a CF-tree of radius-bounded
 * micro-clusters (T. Zhang, R. Ramakrishnan and M. Livny, SIGMOD 1996), with the threshold adapting to
 * a budget of micro-clusters (the tree is rebuilt with a larger threshold whenever it overflows).
 * Because CFs add up, partitions are built apart (in parallel on the given pool here, on other
 * machines elsewhere) and merged by re-inserting their entries: {@link #merge}. The partition count
 * is an option, not the thread count, so the coreset is the same on any number of threads.
 *
 * <p>The micro-cluster of every point is recorded at insertion and followed through rebuilds and
 * merges, so map-back costs no second pass.
 */
public final class BirchTrainer {
  /** Smallest threshold growth per rebuild, so that a stalled estimate still makes progress. */
  private static final double MIN_GROWTH = 1.02;
  private final BirchOptions options;
  private final VectorOps ops;
  private final ComputePool pool;

  /** @param pool threads the partitions are built on (the result does not depend on them) */
  public BirchTrainer(BirchOptions options, VectorOps ops, ComputePool pool) {
    this.options = requireNonNull(options, "options is null");
    this.ops = requireNonNull(ops, "ops is null");
    this.pool = requireNonNull(pool, "pool is null");
  }

  public BirchModel fit(float[][] points) {
    return fit(PointSource.of(points));
  }

  /** Builds the coreset of {@code source}; deterministic for given options (no randomness). */
  public BirchModel fit(PointSource source) {
    requireNonNull(source, "source is null");
    int n = source.size();
    int dim = source.dimension();
    if (n == 0) {
      return new BirchModel(dim, new long[0], new double[0], new double[0], new int[0], options.initialThreshold());
    }
    int parts = Math.max(1, Math.min(options.partitions(), source.chunkCount()));
    int[] local = new int[n];
    List<CfTree> trees = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      trees.add(new CfTree(dim, options.branching(), options.leafCapacity(), options.initialThreshold(), ops));
    }
    pool.parallelFor(0, parts, 1, (first, last) -> {
      for (int p = first; p < last; p++) {
        buildPartition(source, p, parts, trees.get(p), local);
      }
    });
    if (parts == 1) {
      CfTree tree = trees.get(0);
      CfTree.Entries e = tree.entries();
      int[] assign = new int[n];
      for (int i = 0; i < n; i++) {
        assign[i] = e.idToIndex()[tree.resolve(local[i])];
      }
      return new BirchModel(dim, e.counts(), e.sums(), e.squares(), assign, tree.threshold);
    }
    // Merge partition trees: entries re-inserted in partition order into one tree at the largest threshold.
    double t = 0;
    for (CfTree tree : trees) {
      t = Math.max(t, tree.threshold);
    }
    CfTree merged = new CfTree(dim, options.branching(), options.leafCapacity(), t, ops);
    List<int[]> partMaps = new ArrayList<>();
    List<CfTree.Entries> partEntries = new ArrayList<>();
    for (CfTree tree : trees) {
      CfTree.Entries pe = tree.entries();
      partEntries.add(pe);
      partMaps.add(insertAll(merged, pe.counts(), pe.sums(), pe.squares(), dim));
    }
    enforceBudget(merged);
    CfTree.Entries e = merged.entries();
    int[] assign = new int[n];
    int chunkSize = source.chunkSize();
    for (int p = 0; p < parts; p++) {
      CfTree tree = trees.get(p);
      int[] idToIndex = partEntries.get(p).idToIndex();
      int[] map = partMaps.get(p);
      for (int c = p; c < source.chunkCount(); c += parts) {
        int from = c * chunkSize;
        int to = Math.min(n, from + chunkSize);
        for (int i = from; i < to; i++) {
          assign[i] = e.idToIndex()[merged.resolve(map[idToIndex[tree.resolve(local[i])]])];
        }
      }
    }
    return new BirchModel(dim, e.counts(), e.sums(), e.squares(), assign, merged.threshold);
  }

  private void buildPartition(PointSource source, int part, int parts, CfTree tree, int[] local) {
    // Each partition gets its share of the budget, so that memory does not grow with the partition
    // count (at 4096-D a 20k-entry tree is ~1.6 GB); the merge enforces the whole budget.
    int partBudget = Math.max(2, (options.maxMicroClusters() + parts - 1) / parts);
    int chunkSize = source.chunkSize();
    int dim = source.dimension();
    for (int c = part; c < source.chunkCount(); c += parts) {
      float[][] rows = source.chunk(c);
      int base = c * chunkSize;
      for (int r = 0; r < rows.length; r++) {
        float[] x = rows[r];
        if (x.length != dim) {
          throw new IllegalArgumentException("every point must have dimension " + dim + ", found " + x.length + " at point " + (base + r));
        }
        local[base + r] = tree.insertPoint(x, ops.dot(x, 0, x, 0, dim));
        if (tree.leafEntries > partBudget) {
          enforceBudget(tree, partBudget);
        }
      }
    }
  }

  private void enforceBudget(CfTree tree) {
    enforceBudget(tree, options.maxMicroClusters());
  }

  /** Grows the threshold and rebuilds until the tree is within {@code rebuildTarget} of the budget. */
  private void enforceBudget(CfTree tree, int budget) {
    if (tree.leafEntries <= budget) {
      return;
    }
    int target = (int) Math.max(1, options.rebuildTarget() * budget);
    int guard = 0;
    while (tree.leafEntries > target && guard++ < 64) {
      // Grow toward the threshold that would remove just the surplus: the quantile (E - target) / E of
      // the nearest-merge radii (each merge removes at most one entry, so this undershoots and the loop
      // takes another step rather than overshooting), capped at rebuildQuantile. A fixed median step
      // over-merged in high dimension, where distances concentrate: at 1M x 384-D the coreset fell to
      // 14.7k of a 50k budget and true clusters merged (ARI 0.73).
      double surplus = (double) (tree.leafEntries - target) / tree.leafEntries;
      double quantile = Math.min(options.rebuildQuantile(), Math.max(1e-3, surplus));
      double next = Math.max(tree.suggestThreshold(quantile), tree.threshold * MIN_GROWTH + 1e-9);
      tree.rebuild(next);
    }
  }

  /** Inserts every CF (n, LS, SS) into {@code into}; returns, per entry index, the id it landed in. */
  private static int[] insertAll(CfTree into, long[] counts, double[] sums, double[] squares, int dim) {
    int m = counts.length;
    int[] map = new int[m];
    double[] sum = new double[dim];
    float[] centroid = new float[dim];
    for (int k = 0; k < m; k++) {
      System.arraycopy(sums, k * dim, sum, 0, dim);
      double inv = 1.0 / counts[k];
      for (int d = 0; d < dim; d++) {
        centroid[d] = (float) (sum[d] * inv);
      }
      map[k] = into.insert(counts[k], sum, centroid, squares[k]);
    }
    return map;
  }

  /**
   * Merges coresets built apart (e.g. one per partition of a distributed input) into one, as if their
   * points had been concatenated in the given order: CFs are re-inserted into one tree at the largest
   * threshold, then the budget of these options is enforced.
   */
  public BirchModel merge(List<BirchModel> parts) {
    requireNonNull(parts, "parts is null");
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("parts must not be empty");
    }
    int dim = parts.get(0).dimension();
    double t = 0;
    int points = 0;
    for (BirchModel m : parts) {
      if (m.dimension() != dim) {
        throw new IllegalArgumentException("every part must have dimension " + dim + ", found " + m.dimension());
      }
      t = Math.max(t, m.threshold());
      points += m.pointCount();
    }
    CfTree merged = new CfTree(dim, options.branching(), options.leafCapacity(), t, ops);
    List<int[]> maps = new ArrayList<>();
    for (BirchModel m : parts) {
      maps.add(insertAll(merged, m.countsView(), m.sumsView(), m.squaresView(), dim));
    }
    enforceBudget(merged);
    CfTree.Entries e = merged.entries();
    int[] assign = new int[points];
    int k = 0;
    for (int p = 0; p < parts.size(); p++) {
      int[] map = maps.get(p);
      for (int a : parts.get(p).assignmentsView()) {
        assign[k++] = e.idToIndex()[merged.resolve(map[a])];
      }
    }
    return new BirchModel(dim, e.counts(), e.sums(), e.squares(), assign, merged.threshold);
  }
}
