package dev.parley.insights.hierarchy;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.birch.BirchModel;
import dev.parley.insights.birch.BirchOptions;
import dev.parley.insights.birch.BirchTrainer;
import dev.parley.insights.hdbscan.HdbscanModel;
import dev.parley.insights.hdbscan.HdbscanOptions;
import dev.parley.insights.hdbscan.HdbscanTrainer;
import dev.parley.insights.kmeans.KMeansModel;
import dev.parley.insights.kmeans.KMeansOptions;
import dev.parley.insights.kmeans.KMeansTrainer;
import dev.parley.insights.knn.BruteForceCentreIndex;
import dev.parley.insights.knn.ExactKnn;
import dev.parley.insights.knn.NnDescent;
import dev.parley.insights.umap.UmapModel;
import dev.parley.insights.umap.UmapOptions;
import dev.parley.insights.umap.UmapTrainer;
import dev.parley.insights.vector.NeighbourGraph;
import dev.parley.insights.vector.PointSource;
import dev.parley.insights.vector.VectorOps;
import dev.parley.insights.vector.VectorizationProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
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
 * <p>Deterministic for a seed: each node's seed derives from its parent's and its rank; sibling
 * subtrees run in parallel on the common pool but share nothing.
 */
public final class HierarchicalClusterer {
  private static final int MIN_MEMBERS_TO_SPLIT = 12;
  private final VectorOps ops;

  public HierarchicalClusterer() {
    this(VectorizationProvider.ops());
  }

  public HierarchicalClusterer(VectorOps ops) {
    this.ops = requireNonNull(ops, "ops is null");
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
    BirchOptions birchOptions = new BirchOptions(budget, 0, params.birchBranching(), params.birchBranching(), 0.5, 0.6,
        params.birchPartitions());
    BirchModel birch = new BirchTrainer(birchOptions, ops).fit(source);
    long afterBirch = System.nanoTime();
    listener.stageDone("birch", (afterBirch - start) / 1e9);

    Build build = new Build(birch, params, n);
    Draft root = new Draft(-1, IntStream.range(0, birch.size()).toArray(), seed);
    ForkJoinPool.commonPool().invoke(build.expandTask(root, 0));
    long afterHierarchy = System.nanoTime();
    listener.stageDone("hierarchy", (afterHierarchy - afterBirch) / 1e9);
    build.attachNoise(root);
    long afterAttach = System.nanoTime();
    listener.stageDone("attach", (afterAttach - afterHierarchy) / 1e9);
    ClusterTree tree = build.materialise(root, source);
    long end = System.nanoTime();
    listener.stageDone("mapback", (end - afterAttach) / 1e9);

    Map<String, Double> stages = new LinkedHashMap<>();
    stages.put("birch", (afterBirch - start) / 1e9);
    stages.put("knn", build.knnNanos.sum() / 1e9);
    stages.put("umap", build.umapNanos.sum() / 1e9);
    stages.put("hdbscan", build.hdbscanNanos.sum() / 1e9);
    stages.put("kmeans", build.kmeansNanos.sum() / 1e9);
    stages.put("hierarchy", (afterHierarchy - afterBirch) / 1e9);
    stages.put("attach", (afterAttach - afterHierarchy) / 1e9);
    stages.put("mapback", (end - afterAttach) / 1e9);
    stages.put("total", (end - start) / 1e9);
    return new HierarchyResult(tree, birch.assignments(), birch.size(), birch.threshold(), params, budget, stages);
  }

  /** A node under construction: its micro-clusters, then its children. {@code depth} is the tree depth. */
  private static final class Draft {
    final int depth;
    int[] micro;
    final long seed;
    final List<Draft> children = new ArrayList<>();
    boolean shards;

    Draft(int depth, int[] micro, long seed) {
      this.depth = depth;
      this.micro = micro;
      this.seed = seed;
    }
  }

  /** One split of a set of micro-clusters: clusters (by decreasing weight) and noise. */
  private record Partition(List<int[]> clusters, int[] noise) {}

  private final class Build {
    final BirchModel birch;
    final HierarchyParams params;
    final int n;
    final long[] weight;
    final float[][] dirs;
    final LongAdder knnNanos = new LongAdder();
    final LongAdder umapNanos = new LongAdder();
    final LongAdder hdbscanNanos = new LongAdder();
    final LongAdder kmeansNanos = new LongAdder();

    Build(BirchModel birch, HierarchyParams params, int n) {
      this.birch = birch;
      this.params = params;
      this.n = n;
      this.weight = birch.counts();
      this.dirs = new float[birch.size()][];
      IntStream.range(0, birch.size()).parallel().forEach(m -> dirs[m] = birch.direction(m));
    }

    long weightOf(int[] micro) {
      long w = 0;
      for (int m : micro) {
        w += weight[m];
      }
      return w;
    }

    double budget(int depth) {
      return Math.max(params.budgetFloor(), params.level(depth).budgetShare() * n);
    }

    RecursiveAction expandTask(Draft node, int depth) {
      return new RecursiveAction() {
        @Override
        protected void compute() {
          expand(node, depth);
        }
      };
    }

    /**
     * Splits {@code node}'s micro-clusters with the parameters of {@code level} into children (tree
     * depth {@code node.depth + 1}), then recurses into the children over their level's budget, in
     * parallel. When no density structure is found at this level, the next (finer) level is tried on
     * the same node; past the last level, an over-budget node is sharded by k-means.
     */
    void expand(Draft node, int level) {
      Partition p = partition(node.micro, level, node.seed);
      boolean isRoot = node.depth < 0;
      List<int[]> groups = p.clusters();
      if (groups.size() < 2) {
        if (level + 1 < params.maxDepth()) {
          expand(node, level + 1);
          return;
        }
        if (isRoot) {
          // No structure at any level: one category holding everything.
          Draft only = new Draft(0, node.micro, mix(node.seed, 0));
          node.children.add(only);
          if (weightOf(only.micro) > budget(params.maxDepth() - 1)) {
            shard(only, params.maxDepth() - 1);
          }
        } else if (weightOf(node.micro) > budget(params.maxDepth() - 1)) {
          shard(node, params.maxDepth() - 1);
        }
        return;
      }
      int rank = 0;
      for (int[] g : groups) {
        node.children.add(new Draft(node.depth + 1, g, mix(node.seed, rank++)));
      }
      List<RecursiveAction> tasks = new ArrayList<>();
      for (Draft child : node.children) {
        if (weightOf(child.micro) > budget(level)) {
          if (level + 1 < params.maxDepth()) {
            tasks.add(expandTask(child, level + 1));
          } else {
            tasks.add(new RecursiveAction() {
              @Override
              protected void compute() {
                shard(child, level);
              }
            });
          }
        }
      }
      RecursiveAction.invokeAll(tasks);
    }

    /** Mega-cluster rule at the last depth: k-means shards of at most about the budget each. */
    void shard(Draft node, int level) {
      long w = weightOf(node.micro);
      int k = (int) Math.min(node.micro.length, Math.ceil(w / budget(level)));
      if (k < 2) {
        return;
      }
      long t0 = System.nanoTime();
      float[][] x = new float[node.micro.length][];
      double[] wt = new double[node.micro.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = dirs[node.micro[i]];
        wt[i] = weight[node.micro[i]];
      }
      KMeansModel km = new KMeansTrainer(KMeansOptions.of(k).withSpherical(true), ops).fit(x, wt, node.seed);
      kmeansNanos.add(System.nanoTime() - t0);
      List<int[]> groups = groups(node.micro, km.assignments(), k);
      int rank = 0;
      for (int[] g : groups) {
        Draft child = new Draft(node.depth + 1, g, mix(node.seed, 1000 + rank++));
        child.shards = true;
        node.children.add(child);
      }
    }

    /**
     * UMAP + HDBSCAN on the members with the parameters of {@code levelIndex}, then the noise rule:
     * while the noise share exceeds the level's tolerance (at most {@code noisePasses} times), the noise
     * is clustered again with the next, finer level's parameters (past the last level: sizes times
     * {@code noiseTightening}). Clusters smaller than this level's min cluster size are thus found in
     * the noise instead of being lost to it.
     */
    Partition partition(int[] members, int levelIndex, long seed) {
      LevelParams base = params.level(levelIndex);
      long total = weightOf(members);
      List<int[]> clusters = new ArrayList<>();
      int[] noise = members;
      double mcs = Math.max(base.minClusterFloor(), base.minClusterShare() * n);
      int minSamples = base.minSamples();
      for (int pass = 0; pass <= base.noisePasses(); pass++) {
        LevelParams level = params.level(levelIndex + pass);
        if (pass > 0) {
          if (levelIndex + pass < params.maxDepth()) {
            mcs = Math.max(level.minClusterFloor(), level.minClusterShare() * n);
            minSamples = level.minSamples();
          } else {
            mcs = Math.max(2, mcs * base.noiseTightening());
            minSamples = Math.max(2, (int) Math.round(minSamples * base.noiseTightening()));
          }
        }
        long noiseWeight = weightOf(noise);
        if (pass > 0 && noiseWeight <= base.noiseTolerance() * total) {
          break;
        }
        if (noise.length < MIN_MEMBERS_TO_SPLIT || noiseWeight < 2 * mcs) {
          if (pass == 0) {
            break;
          }
          continue;
        }
        int[] labels = densityLabels(noise, level, mcs, minSamples, mix(seed, pass));
        int k = 0;
        for (int l : labels) {
          k = Math.max(k, l + 1);
        }
        List<int[]> found = groups(noise, labels, k);
        clusters.addAll(found);
        int[] current = noise;
        noise = IntStream.range(0, current.length).filter(i -> labels[i] < 0).map(i -> current[i]).toArray();
        if (pass == 0 && found.isEmpty()) {
          break; // no structure at all: the caller tries the next level on the same members
        }
      }
      if (clusters.isEmpty()) {
        return new Partition(List.of(), new int[0]);
      }
      clusters.sort((a, b) -> {
        int c = Long.compare(weightOf(b), weightOf(a));
        return c != 0 ? c : Integer.compare(a[0], b[0]);
      });
      return new Partition(clusters, noise);
    }

    int[] densityLabels(int[] members, LevelParams level, double mcs, int minSamples, long seed) {
      float[][] x = new float[members.length][];
      long[] w = new long[members.length];
      for (int i = 0; i < members.length; i++) {
        x[i] = dirs[members[i]];
        w[i] = weight[members[i]];
      }
      long t0 = System.nanoTime();
      int k = Math.min(level.neighbours(), members.length - 1);
      NeighbourGraph graph = members.length <= params.exactKnnBelow()
          ? ExactKnn.build(x, k, ops)
          : new NnDescent(NnDescent.Options.defaults(k), ops).build(x, seed);
      long t1 = System.nanoTime();
      UmapOptions uo = new UmapOptions(level.umapComponents(), level.umapMinDist(), 1.0, level.umapEpochs(), 1.0, 5, 1.0, 100);
      UmapModel emb = new UmapTrainer(uo).fit(graph, seed);
      long t2 = System.nanoTime();
      HdbscanOptions ho = HdbscanOptions.of(mcs, minSamples).withSelection(level.selection());
      HdbscanModel hd = new HdbscanTrainer(ho).fit(emb.asDoubles(), emb.components(), w);
      long t3 = System.nanoTime();
      knnNanos.add(t1 - t0);
      umapNanos.add(t2 - t1);
      hdbscanNanos.add(t3 - t2);
      return hd.labels();
    }

    /**
     * Ejects far-out members of each leaf (see ejectFence), then joins noise micro-clusters to their
     * nearest leaf when close enough (see attachQuantile). Both judge in the original space.
     */
    void attachNoise(Draft root) {
      List<Draft> leaves = new ArrayList<>();
      collectLeaves(root, leaves);
      if (leaves.isEmpty()) {
        return;
      }
      float[][] centroids = new float[leaves.size()][];
      float[] threshold = new float[leaves.size()];
      for (int l = 0; l < leaves.size(); l++) {
        Draft leaf = leaves.get(l);
        centroids[l] = centroid(leaf.micro);
        float[] sims = similarities(leaf.micro, centroids[l]);
        if (params.ejectFence() >= 0 && leaf.micro.length >= 4) {
          float q1 = weightedQuantile(sims, leaf.micro, 0.25);
          float q3 = weightedQuantile(sims, leaf.micro, 0.75);
          float fence = (float) (q1 - params.ejectFence() * (q3 - q1));
          int[] keep = IntStream.range(0, leaf.micro.length).filter(i -> sims[i] >= fence).toArray();
          if (keep.length > 0 && keep.length < leaf.micro.length) {
            int[] micro = leaf.micro;
            leaf.micro = Arrays.stream(keep).map(i -> micro[i]).toArray();
            centroids[l] = centroid(leaf.micro);
          }
        }
        if (params.attachQuantile() >= 0) {
          threshold[l] = weightedQuantile(similarities(leaf.micro, centroids[l]), leaf.micro, params.attachQuantile());
        }
      }
      if (params.attachQuantile() < 0) {
        return;
      }
      boolean[] placed = new boolean[birch.size()];
      for (Draft leaf : leaves) {
        for (int m : leaf.micro) {
          placed[m] = true;
        }
      }
      int[] noise = IntStream.range(0, birch.size()).filter(m -> !placed[m]).toArray();
      if (noise.length == 0) {
        return;
      }
      BruteForceCentreIndex index = new BruteForceCentreIndex(centroids, ops);
      float[][] queries = new float[noise.length][];
      for (int i = 0; i < noise.length; i++) {
        queries[i] = dirs[noise[i]];
      }
      int[] nearest = index.nearestAll(queries);
      List<List<Integer>> joined = new ArrayList<>();
      for (int l = 0; l < leaves.size(); l++) {
        joined.add(new ArrayList<>());
      }
      for (int i = 0; i < noise.length; i++) {
        int l = nearest[i];
        float sim = ops.dot(queries[i], 0, centroids[l], 0, centroids[l].length);
        if (sim >= threshold[l]) {
          joined.get(l).add(noise[i]);
        }
      }
      for (int l = 0; l < leaves.size(); l++) {
        List<Integer> add = joined.get(l);
        if (!add.isEmpty()) {
          Draft leaf = leaves.get(l);
          int[] grown = Arrays.copyOf(leaf.micro, leaf.micro.length + add.size());
          for (int i = 0; i < add.size(); i++) {
            grown[leaf.micro.length + i] = add.get(i);
          }
          leaf.micro = grown;
        }
      }
    }

    float[] similarities(int[] micro, float[] centroid) {
      float[] sims = new float[micro.length];
      for (int i = 0; i < micro.length; i++) {
        sims[i] = ops.dot(dirs[micro[i]], 0, centroid, 0, centroid.length);
      }
      return sims;
    }

    float weightedQuantile(float[] sims, int[] micro, double q) {
      Integer[] order = new Integer[sims.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Float.compare(sims[a], sims[b]));
      long total = weightOf(micro);
      double target = q * total;
      long acc = 0;
      for (Integer i : order) {
        acc += weight[micro[i]];
        if (acc >= target) {
          return sims[i];
        }
      }
      return sims[order[order.length - 1]];
    }

    float[] centroid(int[] micro) {
      int dim = birch.dimension();
      double[] sum = new double[dim];
      for (int m : micro) {
        double[] ls = birch.linearSum(m);
        for (int d = 0; d < dim; d++) {
          sum[d] += ls[d];
        }
      }
      return dev.parley.insights.vector.Vectors.normalized(sum);
    }

    void collectLeaves(Draft node, List<Draft> out) {
      if (node.children.isEmpty()) {
        if (node.depth >= 0) {
          out.add(node);
        }
        return;
      }
      for (Draft c : node.children) {
        collectLeaves(c, out);
      }
    }

    /** Pre-order node numbering, exact centroids, point map-back and member ordering (second pass). */
    ClusterTree materialise(Draft root, PointSource source) {
      List<Draft> order = new ArrayList<>();
      List<Integer> parents = new ArrayList<>();
      for (Draft top : root.children) {
        preorder(top, -1, order, parents);
      }
      int nodes = order.size();
      // A parent's micro-clusters are the union of its children's (noise inside a split stays out).
      for (int i = nodes - 1; i >= 0; i--) {
        Draft d = order.get(i);
        if (!d.children.isEmpty()) {
          d.micro = d.children.stream().flatMapToInt(c -> Arrays.stream(c.micro)).sorted().toArray();
        }
      }
      int[] leafOfMicro = new int[birch.size()];
      Arrays.fill(leafOfMicro, ClusterTree.NOISE);
      for (int i = 0; i < nodes; i++) {
        Draft d = order.get(i);
        if (d.children.isEmpty()) {
          for (int m : d.micro) {
            leafOfMicro[m] = i;
          }
        }
      }
      float[][] centroids = new float[nodes][];
      IntStream.range(0, nodes).parallel().forEach(i -> centroids[i] = centroid(order.get(i).micro));
      int[] parentOf = parents.stream().mapToInt(Integer::intValue).toArray();
      int[] depthOf = new int[nodes];
      for (int i = 0; i < nodes; i++) {
        depthOf[i] = parentOf[i] < 0 ? 0 : depthOf[parentOf[i]] + 1;
      }
      int[] pointLeaf = new int[n];
      int[] sizes = new int[nodes];
      for (int i = 0; i < n; i++) {
        int leaf = leafOfMicro[birch.assignment(i)];
        pointLeaf[i] = leaf;
        for (int v = leaf; v >= 0; v = parentOf[v]) {
          sizes[v]++;
        }
      }
      long[][] keyed = new long[nodes][];
      for (int v = 0; v < nodes; v++) {
        keyed[v] = new long[sizes[v]];
      }
      int[] fill = new int[nodes];
      int chunkSize = source.chunkSize();
      int chunks = source.chunkCount();
      int batch = Math.max(1, ForkJoinPool.getCommonPoolParallelism() * 2);
      for (int from = 0; from < chunks; from += batch) {
        int to = Math.min(chunks, from + batch);
        float[][][] dists = IntStream.range(from, to).parallel().mapToObj(c -> {
          float[][] rows = source.chunk(c);
          float[][] out = new float[rows.length][];
          for (int r = 0; r < rows.length; r++) {
            int leaf = pointLeaf[c * chunkSize + r];
            int len = leaf < 0 ? 0 : depthOf[leaf] + 1;
            out[r] = new float[len];
            float norm = ops.dot(rows[r], 0, rows[r], 0, rows[r].length);
            int k = 0;
            for (int v = leaf; v >= 0; v = parentOf[v]) {
              out[r][k++] = Math.max(0f, norm + 1f - 2f * ops.dot(rows[r], 0, centroids[v], 0, rows[r].length));
            }
          }
          return out;
        }).toArray(float[][][]::new);
        for (int c = from; c < to; c++) {
          float[][] out = dists[c - from];
          for (int r = 0; r < out.length; r++) {
            int point = c * chunkSize + r;
            int k = 0;
            for (int v = pointLeaf[point]; v >= 0; v = parentOf[v]) {
              keyed[v][fill[v]++] = ((long) Float.floatToIntBits(out[r][k++]) << 32) | point;
            }
          }
        }
      }
      List<ClusterTree.Node> result = new ArrayList<>(nodes);
      List<List<Integer>> childLists = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        childLists.add(new ArrayList<>());
      }
      for (int i = 0; i < nodes; i++) {
        if (parentOf[i] >= 0) {
          childLists.get(parentOf[i]).add(i);
        }
      }
      for (int v = 0; v < nodes; v++) {
        long[] keys = keyed[v];
        Arrays.sort(keys);
        int[] members = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
          members[i] = (int) keys[i];
        }
        result.add(new ClusterTree.Node(v, parentOf[v], depthOf[v], members.length, childLists.get(v), centroids[v], members));
      }
      return new ClusterTree(result, pointLeaf, birch.dimension());
    }

    void preorder(Draft d, int parent, List<Draft> order, List<Integer> parents) {
      int index = order.size();
      order.add(d);
      parents.add(parent);
      for (Draft c : d.children) {
        preorder(c, index, order, parents);
      }
    }
  }

  static List<int[]> groups(int[] members, int[] labels, int k) {
    int[] counts = new int[k];
    for (int l : labels) {
      if (l >= 0) {
        counts[l]++;
      }
    }
    int[][] out = new int[k][];
    for (int c = 0; c < k; c++) {
      out[c] = new int[counts[c]];
    }
    int[] fill = new int[k];
    for (int i = 0; i < members.length; i++) {
      int l = labels[i];
      if (l >= 0) {
        out[l][fill[l]++] = members[i];
      }
    }
    List<int[]> list = new ArrayList<>();
    for (int[] g : out) {
      if (g.length > 0) {
        list.add(g);
      }
    }
    return list;
  }

  static long mix(long seed, long salt) {
    long z = seed + 0x9E3779B97F4A7C15L * (salt + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
