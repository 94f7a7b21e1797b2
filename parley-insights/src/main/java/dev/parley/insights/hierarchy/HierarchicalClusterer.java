package dev.parley.insights.hierarchy;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.birch.BirchModel;
import dev.parley.insights.birch.BirchOptions;
import dev.parley.insights.birch.BirchTrainer;
import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.kmeans.KMeansModel;
import dev.parley.insights.kmeans.KMeansOptions;
import dev.parley.insights.kmeans.KMeansTrainer;
import dev.parley.insights.vector.PointSource;
import dev.parley.insights.vector.VectorOps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * Hierarchical clustering at scale: BIRCH coreset → per depth, UMAP + weighted HDBSCAN on the member
 * micro-clusters → Category → Subcategory → Cluster, in the original embedding space.
 *
 * <p>The recipe follows the density-based topic-discovery line of work (UMAP: McInnes, Healy and
 * Melville 2018; HDBSCAN*: Campello et al. 2013/2015; their combination for embeddings as in
 * BERTopic, M. Grootendorst 2022) with a BIRCH coreset in front (Zhang et al. 1996) so that the costly
 * stages see at most a budget of micro-clusters whatever the input size, and a recursion per depth:
 *
 * <ul>
 *   <li><b>Schedule.</b> Depth d clusters with {@link HierarchyParams#level(int)}: broad (EOM, large min
 *       cluster share) at the top, fine at the leaves. Every level re-runs UMAP on its own members, so
 *       the local manifold of a category is unfolded again before it is split.
 *   <li><b>Mega-cluster rule.</b> A cluster holding more than its depth's navigability budget
 *       ({@code budgetShare} x N points) is split with the next depth's parameters; at the last depth,
 *       or when no density structure is found, it is split into k-means shards (children).
 *   <li><b>Noise rule.</b> When the noise share of a split exceeds its tolerance, the noise is clustered
 *       again with tighter parameters and the clusters found join as siblings; what remains is noise,
 *       kept in the output. Finally, a noise micro-cluster joins its nearest leaf when it is at least as
 *       close to the leaf centroid as a quantile of the leaf's own members ({@code attachQuantile}).
 *   <li><b>Centroids and map-back.</b> Node centroids are exact from the CF linear sums (L2-normalised);
 *       every point maps to its micro-cluster (recorded at BIRCH insertion) and so to a leaf or noise.
 * </ul>
 *
 * <p>Stages, each its own class: BIRCH ({@link BirchTrainer}), the schedule and mega-cluster rule
 * (here), one depth's split with the noise rule ({@code LevelPartitioner}), the final noise rule
 * ({@code NoiseAttachment}) and the output tree ({@code TreeMaterialiser}).
 *
 * <p>Deterministic for a seed, whatever the thread count: each node's seed derives from its parent's
 * and its rank; sibling subtrees run in parallel on the caller's {@link ComputePool} but share nothing,
 * and every stage below combines parallel work in a fixed order.
 */
public final class HierarchicalClusterer {
  private final VectorOps ops;
  private final ComputePool pool;


  /**
   * @param ops vector kernels
   * @param pool threads for every stage (owned by the caller, who closes it; the result does not
   *     depend on them)
   */
  public HierarchicalClusterer(VectorOps ops, ComputePool pool) {
    this.ops = requireNonNull(ops, "ops is null");
    this.pool = requireNonNull(pool, "pool is null");
  }

  public HierarchyResult fit(float[][] vectors, HierarchyParams params, long seed) {
    requireNonNull(vectors, "vectors is null");
    return fit(PointSource.of(vectors), params, seed);
  }

  public HierarchyResult fit(PointSource source, HierarchyParams params, long seed) {
    return fit(source, params, seed, StageListener.NONE);
  }

  /** Told when each stage ends (benchmarks read memory peaks there); a null object when unused. */
  public interface StageListener {
    StageListener NONE = (stage, seconds) -> { };

    void stageDone(String stage, double seconds);
  }

  public HierarchyResult fit(PointSource source, HierarchyParams params, long seed, StageListener listener) {
    requireNonNull(listener, "listener is null");
    requireNonNull(source, "source is null");
    requireNonNull(params, "params is null");
    int n = source.size();
    int dim = source.dimension();
    if (n < 1 || dim < 1) {
      throw new IllegalArgumentException("need at least one point of dimension >= 1, found n=" + n + ", dim=" + dim);
    }
    long start = System.nanoTime();
    int budget = BirchOptions.budgetFor(n, params.coresetFloor(), params.coresetFraction(), params.coresetCap());
    BirchOptions birchOptions = BirchOptions.defaults(budget)
        .withBranching(params.birchBranching())
        .withLeafCapacity(params.birchBranching())
        .withPartitions(params.birchPartitions());
    BirchModel birch = new BirchTrainer(birchOptions, ops, pool).fit(source);
    long afterBirch = System.nanoTime();
    listener.stageDone("birch", (afterBirch - start) / 1e9);

    Coreset coreset = new Coreset(birch, pool);
    Schedule schedule = new Schedule(coreset, params, n, new LevelPartitioner(coreset, params, n, ops, pool));
    DraftNode root = new DraftNode(-1, IntStream.range(0, birch.size()).toArray(), seed);
    schedule.expand(root, 0);
    long afterHierarchy = System.nanoTime();
    listener.stageDone("hierarchy", (afterHierarchy - afterBirch) / 1e9);
    new NoiseAttachment(coreset, params, ops, pool).apply(root);
    long afterAttach = System.nanoTime();
    listener.stageDone("attach", (afterAttach - afterHierarchy) / 1e9);
    ClusterTree tree = new TreeMaterialiser(coreset, ops, pool).materialise(root, source);
    long end = System.nanoTime();
    listener.stageDone("mapback", (end - afterAttach) / 1e9);

    Map<String, Double> stages = new LinkedHashMap<>();
    stages.put("birch", (afterBirch - start) / 1e9);
    stages.put("knn", schedule.partitioner.knnSeconds());
    stages.put("umap", schedule.partitioner.umapSeconds());
    stages.put("hdbscan", schedule.partitioner.hdbscanSeconds());
    stages.put("kmeans", schedule.kmeansNanos.sum() / 1e9);
    stages.put("hierarchy", (afterHierarchy - afterBirch) / 1e9);
    stages.put("attach", (afterAttach - afterHierarchy) / 1e9);
    stages.put("mapback", (end - afterAttach) / 1e9);
    stages.put("total", (end - start) / 1e9);
    return new HierarchyResult(tree, birch.assignments(), birch.size(), birch.threshold(), params, budget, stages);
  }

  /** The schedule and the mega-cluster rule of one fit: which node is split, with which level, into what. */
  private final class Schedule {
    final Coreset coreset;
    final HierarchyParams params;
    final int n;
    final LevelPartitioner partitioner;
    final LongAdder kmeansNanos = new LongAdder();

    Schedule(Coreset coreset, HierarchyParams params, int n, LevelPartitioner partitioner) {
      this.coreset = coreset;
      this.params = params;
      this.n = n;
      this.partitioner = partitioner;
    }

    double budget(int depth) {
      return Math.max(params.budgetFloor(), params.level(depth).budgetShare() * n);
    }

    /**
     * Splits {@code node}'s micro-clusters with the parameters of {@code level} into children (tree
     * depth {@code node.depth + 1}), then recurses into the children over their level's budget, in
     * parallel. When no density structure is found at this level, the next (finer) level is tried on
     * the same node; past the last level, an over-budget node is sharded by k-means.
     */
    void expand(DraftNode node, int level) {
      LevelPartitioner.Partition p = partitioner.partition(node.micro, level, node.seed);
      boolean isRoot = node.depth < 0;
      List<int[]> groups = p.clusters();
      if (groups.size() < 2) {
        if (level + 1 < params.maxDepth()) {
          expand(node, level + 1);
          return;
        }
        if (isRoot) {
          // No structure at any level: one category holding everything.
          DraftNode only = new DraftNode(0, node.micro, DraftNode.mix(node.seed, 0));
          node.children.add(only);
          if (coreset.weightOf(only.micro) > budget(params.maxDepth() - 1)) {
            shard(only, params.maxDepth() - 1);
          }
        } else if (coreset.weightOf(node.micro) > budget(params.maxDepth() - 1)) {
          shard(node, params.maxDepth() - 1);
        }
        return;
      }
      int rank = 0;
      for (int[] g : groups) {
        node.children.add(new DraftNode(node.depth + 1, g, DraftNode.mix(node.seed, rank++)));
      }
      List<Runnable> tasks = new ArrayList<>();
      for (DraftNode child : node.children) {
        if (coreset.weightOf(child.micro) > budget(level)) {
          if (level + 1 < params.maxDepth()) {
            tasks.add(() -> expand(child, level + 1));
          } else {
            tasks.add(() -> shard(child, level));
          }
        }
      }
      pool.invokeAll(tasks);
    }

    /** Mega-cluster rule at the last depth: k-means shards of at most about the budget each. */
    void shard(DraftNode node, int level) {
      long w = coreset.weightOf(node.micro);
      int k = (int) Math.min(node.micro.length, Math.ceil(w / budget(level)));
      if (k < 2) {
        return;
      }
      long t0 = System.nanoTime();
      float[][] x = new float[node.micro.length][];
      double[] wt = new double[node.micro.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = coreset.dirs[node.micro[i]];
        wt[i] = coreset.weight[node.micro[i]];
      }
      KMeansModel km = new KMeansTrainer(KMeansOptions.of(k).withSpherical(true), ops, pool).fit(x, wt, node.seed);
      kmeansNanos.add(System.nanoTime() - t0);
      int rank = 0;
      for (int[] g : LevelPartitioner.groups(node.micro, km.assignments(), k)) {
        node.children.add(new DraftNode(node.depth + 1, g, DraftNode.mix(node.seed, 1000 + rank++)));
      }
    }
  }
}
