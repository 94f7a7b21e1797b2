package dev.parley.insights.hierarchy;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.knn.BruteForceCentreIndex;
import dev.parley.insights.vector.VectorOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The last word on noise, in the original space (UMAP glues isolated outliers to their nearest cluster,
 * the original space does not): far-out members of each leaf are ejected ({@link
 * HierarchyParams#ejectFence()}), then noise micro-clusters join their nearest leaf when close enough
 * ({@link HierarchyParams#attachQuantile()}). Rewrites the leaves' micro-clusters in place.
 */
final class NoiseAttachment {
  private final Coreset coreset;
  private final HierarchyParams params;
  private final VectorOps ops;
  private final ComputePool pool;

  NoiseAttachment(Coreset coreset, HierarchyParams params, VectorOps ops, ComputePool pool) {
    this.coreset = coreset;
    this.params = params;
    this.ops = ops;
    this.pool = pool;
  }

  /** Ejects, then attaches, over the leaves under {@code root}. */
  void apply(DraftNode root) {
    List<DraftNode> leaves = root.leaves();
    if (leaves.isEmpty()) {
      return;
    }
    float[][] centroids = new float[leaves.size()][];
    float[] threshold = new float[leaves.size()];
    for (int l = 0; l < leaves.size(); l++) {
      DraftNode leaf = leaves.get(l);
      centroids[l] = coreset.centroid(leaf.micro);
      float[] sims = similarities(leaf.micro, centroids[l]);
      if (params.ejectFence() >= 0 && leaf.micro.length >= 4) {
        float q1 = weightedQuantile(sims, leaf.micro, 0.25);
        float q3 = weightedQuantile(sims, leaf.micro, 0.75);
        float fence = (float) (q1 - params.ejectFence() * (q3 - q1));
        int[] keep = IntStream.range(0, leaf.micro.length).filter(i -> sims[i] >= fence).toArray();
        if (keep.length > 0 && keep.length < leaf.micro.length) {
          int[] micro = leaf.micro;
          leaf.micro = Arrays.stream(keep).map(i -> micro[i]).toArray();
          centroids[l] = coreset.centroid(leaf.micro);
        }
      }
      if (params.attachQuantile() >= 0) {
        threshold[l] = weightedQuantile(similarities(leaf.micro, centroids[l]), leaf.micro, params.attachQuantile());
      }
    }
    if (params.attachQuantile() < 0) {
      return;
    }
    attach(leaves, centroids, threshold);
  }

  /** Noise micro-cluster → nearest leaf centroid, kept when at least as similar as that leaf's threshold. */
  private void attach(List<DraftNode> leaves, float[][] centroids, float[] threshold) {
    boolean[] placed = new boolean[coreset.size()];
    for (DraftNode leaf : leaves) {
      for (int m : leaf.micro) {
        placed[m] = true;
      }
    }
    int[] noise = IntStream.range(0, coreset.size()).filter(m -> !placed[m]).toArray();
    if (noise.length == 0) {
      return;
    }
    BruteForceCentreIndex index = new BruteForceCentreIndex(centroids, ops, pool);
    float[][] queries = new float[noise.length][];
    for (int i = 0; i < noise.length; i++) {
      queries[i] = coreset.dirs[noise[i]];
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
        DraftNode leaf = leaves.get(l);
        int[] grown = Arrays.copyOf(leaf.micro, leaf.micro.length + add.size());
        for (int i = 0; i < add.size(); i++) {
          grown[leaf.micro.length + i] = add.get(i);
        }
        leaf.micro = grown;
      }
    }
  }

  private float[] similarities(int[] micro, float[] centroid) {
    float[] sims = new float[micro.length];
    for (int i = 0; i < micro.length; i++) {
      sims[i] = ops.dot(coreset.dirs[micro[i]], 0, centroid, 0, centroid.length);
    }
    return sims;
  }

  /** The similarity at quantile {@code q} of the micro-clusters' point weights (lowest first). */
  private float weightedQuantile(float[] sims, int[] micro, double q) {
    Integer[] order = new Integer[sims.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(sims[a], sims[b]));
    long total = coreset.weightOf(micro);
    double target = q * total;
    long acc = 0;
    for (Integer i : order) {
      acc += coreset.weight[micro[i]];
      if (acc >= target) {
        return sims[i];
      }
    }
    return sims[order[order.length - 1]];
  }
}
