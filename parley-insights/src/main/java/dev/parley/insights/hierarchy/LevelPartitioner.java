package dev.parley.insights.hierarchy;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.hdbscan.HdbscanModel;
import dev.parley.insights.hdbscan.HdbscanOptions;
import dev.parley.insights.hdbscan.HdbscanTrainer;
import dev.parley.insights.knn.ExactKnn;
import dev.parley.insights.knn.NnDescent;
import dev.parley.insights.umap.UmapModel;
import dev.parley.insights.umap.UmapOptions;
import dev.parley.insights.umap.UmapTrainer;
import dev.parley.insights.vector.NeighbourGraph;
import dev.parley.insights.vector.VectorOps;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * One depth of the hierarchy: splits a node's member micro-clusters into clusters and noise with the
 * parameters of one level (kNN graph → UMAP → weighted HDBSCAN*), then applies the noise rule. Knows
 * nothing of the tree: the caller decides what a split becomes. Safe to call from several threads
 * (sibling nodes) at once.
 */
final class LevelPartitioner {
  /** Fewer members than this are never split (the kNN graph and UMAP would be degenerate). */
  private static final int MIN_MEMBERS_TO_SPLIT = 12;
  private final Coreset coreset;
  private final HierarchyParams params;
  private final int n;
  private final VectorOps ops;
  private final ComputePool pool;
  private final LongAdder knnNanos = new LongAdder();
  private final LongAdder umapNanos = new LongAdder();
  private final LongAdder hdbscanNanos = new LongAdder();

  /** One split of a set of micro-clusters: clusters (by decreasing weight) and noise. */
  record Partition(List<int[]> clusters, int[] noise) {}

  /** @param n the number of input points (min cluster sizes are shares of it) */
  LevelPartitioner(Coreset coreset, HierarchyParams params, int n, VectorOps ops, ComputePool pool) {
    this.coreset = coreset;
    this.params = params;
    this.n = n;
    this.ops = ops;
    this.pool = pool;
  }

  /**
   * UMAP + HDBSCAN on {@code members} with the parameters of {@code levelIndex}, then the noise rule:
   * while the noise share exceeds the level's tolerance (at most {@code noisePasses} times), the noise
   * is clustered again with the next, finer level's parameters (past the last level: sizes times
   * {@code noiseTightening}). Clusters smaller than this level's min cluster size are thus found in
   * the noise instead of being lost to it. No cluster at all (or none in the first pass) gives an
   * empty partition: the caller then tries the next level on the same members.
   */
  Partition partition(int[] members, int levelIndex, long seed) {
    LevelParams base = params.level(levelIndex);
    long total = coreset.weightOf(members);
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
      long noiseWeight = coreset.weightOf(noise);
      if (pass > 0 && noiseWeight <= base.noiseTolerance() * total) {
        break;
      }
      if (noise.length < MIN_MEMBERS_TO_SPLIT || noiseWeight < 2 * mcs) {
        if (pass == 0) {
          break;
        }
        continue;
      }
      int[] labels = densityLabels(noise, level, mcs, minSamples, DraftNode.mix(seed, pass));
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
      int c = Long.compare(coreset.weightOf(b), coreset.weightOf(a));
      return c != 0 ? c : Integer.compare(a[0], b[0]);
    });
    return new Partition(clusters, noise);
  }

  /**
   * HDBSCAN labels of {@code members} (in their order; -1 for noise) in a UMAP embedding of their
   * directions, each weighted by its point count: kNN graph exact below {@code exactKnnBelow}
   * members, NN-descent above.
   */
  private int[] densityLabels(int[] members, LevelParams level, double mcs, int minSamples, long seed) {
    float[][] x = new float[members.length][];
    long[] w = new long[members.length];
    for (int i = 0; i < members.length; i++) {
      x[i] = coreset.dirs[members[i]];
      w[i] = coreset.weight[members[i]];
    }
    long t0 = System.nanoTime();
    int k = Math.min(level.neighbours(), members.length - 1);
    NeighbourGraph graph = members.length <= params.exactKnnBelow()
        ? ExactKnn.build(x, k, ops, pool)
        : new NnDescent(NnDescent.Options.defaults(k), ops, pool).build(x, seed);
    long t1 = System.nanoTime();
    UmapOptions umap = UmapOptions.defaults()
        .withComponents(level.umapComponents())
        .withMinDist(level.umapMinDist())
        .withEpochs(level.umapEpochs());
    UmapModel emb = new UmapTrainer(umap, pool).fit(graph, seed);
    long t2 = System.nanoTime();
    HdbscanOptions hdbscan = HdbscanOptions.of(mcs, minSamples).withSelection(level.selection());
    HdbscanModel hd = new HdbscanTrainer(hdbscan, pool).fit(emb.asDoubles(), emb.components(), w);
    long t3 = System.nanoTime();
    knnNanos.add(t1 - t0);
    umapNanos.add(t2 - t1);
    hdbscanNanos.add(t3 - t2);
    return hd.labels();
  }

  double knnSeconds() {
    return knnNanos.sum() / 1e9;
  }

  double umapSeconds() {
    return umapNanos.sum() / 1e9;
  }

  double hdbscanSeconds() {
    return hdbscanNanos.sum() / 1e9;
  }

  /** The non-empty groups of {@code members} by label in {@code [0, k)}, in label order (negative labels left out). */
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
}
