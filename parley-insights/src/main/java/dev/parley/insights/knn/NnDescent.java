package dev.parley.insights.knn;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.vector.NeighbourGraph;
import dev.parley.insights.vector.VectorOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Approximate k-nearest-neighbour graph by NN-descent: W. Dong, M. Charikar and K. Li, "Efficient
 * k-nearest neighbor graph construction for generic similarity measures", WWW 2011; initialised from
 * random-projection-tree leaves as in PyNNDescent (L. McInnes, 2018, and S. Dasgupta and Y. Freund,
 * "Random projection trees and low dimensional manifolds", STOC 2008).
 *
 * <p>Implementation note: deterministic for a seed whatever the thread count. Randomness (tree splits,
 * candidate sampling) is drawn sequentially from one {@link SplittableRandom}; the local join, where
 * the distance work is, runs in parallel over blocks of points and only <em>proposes</em> updates
 * against thresholds frozen for the block; proposals are then applied sequentially in block order.
 */
public final class NnDescent {
  private static final int BLOCK = 2048;

  /**
   * Options.
   *
   * @param k neighbours per point (self excluded)
   * @param maxIterations NN-descent rounds at most
   * @param delta stop when fewer than {@code delta * n * k} heap updates happen in a round
   * @param maxCandidates sampled new/old candidates per point per round
   * @param trees random projection trees for the initial graph
   * @param leafSize maximum leaf size of those trees
   */
  public record Options(int k, int maxIterations, double delta, int maxCandidates, int trees, int leafSize) {
    public Options {
      if (k < 1) {
        throw new IllegalArgumentException("k must be >= 1, found " + k);
      }
      if (maxIterations < 0) {
        throw new IllegalArgumentException("maxIterations must be >= 0, found " + maxIterations);
      }
      if (!(delta >= 0 && delta < 1)) {
        throw new IllegalArgumentException("delta must be in [0, 1), found " + delta);
      }
      if (maxCandidates < 1 || trees < 0 || leafSize < 2) {
        throw new IllegalArgumentException("maxCandidates must be >= 1, trees >= 0, leafSize >= 2, found "
            + maxCandidates + ", " + trees + ", " + leafSize);
      }
    }

    public static Options defaults(int k) {
      return new Options(k, 12, 0.001, Math.min(60, Math.max(k, 20)), 2, Math.max(30, 2 * k));
    }
  }

  private final Options options;
  private final VectorOps ops;
  private final ComputePool pool;

  /** @param pool threads for the leaf distances and the local joins (the graph does not depend on them) */
  public NnDescent(Options options, VectorOps ops, ComputePool pool) {
    this.options = requireNonNull(options, "options is null");
    this.ops = requireNonNull(ops, "ops is null");
    this.pool = requireNonNull(pool, "pool is null");
  }

  public NeighbourGraph build(float[][] points, long seed) {
    requireNonNull(points, "points is null");
    int n = points.length;
    int k = Math.min(options.k(), Math.max(0, n - 1));
    if (k == 0) {
      return new NeighbourGraph(n, 0, new int[0], new float[0]);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    Heaps heaps = new Heaps(n, k);
    initFromTrees(points, heaps, rng);
    fillRandom(points, heaps, rng);
    int maxCand = options.maxCandidates();
    int[] newCand = new int[n * maxCand];
    int[] oldCand = new int[n * maxCand];
    int[] newCount = new int[n];
    int[] oldCount = new int[n];
    float[] newPri = new float[n * maxCand];
    float[] oldPri = new float[n * maxCand];
    for (int iter = 0; iter < options.maxIterations(); iter++) {
      sampleCandidates(heaps, rng, maxCand, newCand, newPri, newCount, oldCand, oldPri, oldCount);
      long updates = localJoin(points, heaps, maxCand, newCand, newCount, oldCand, oldCount);
      if (updates <= options.delta() * n * k) {
        break;
      }
    }
    int[] idx = new int[n * k];
    float[] dist = new float[n * k];
    for (int i = 0; i < n * k; i++) {
      idx[i] = heaps.ids[i];
      dist[i] = heaps.ids[i] < 0 ? Float.POSITIVE_INFINITY : (float) Math.sqrt(heaps.ds[i]);
    }
    return new NeighbourGraph(n, k, idx, dist);
  }

  /** Candidate heaps: per point, k (id, squared distance, is-new) sorted ascending. */
  private static final class Heaps {
    final int k;
    final int[] ids;
    final float[] ds;
    final boolean[] fresh;

    Heaps(int n, int k) {
      this.k = k;
      ids = new int[n * k];
      ds = new float[n * k];
      fresh = new boolean[n * k];
      Arrays.fill(ids, -1);
      Arrays.fill(ds, Float.POSITIVE_INFINITY);
    }

    float worst(int p) {
      return ds[p * k + k - 1];
    }

    /** Inserts if closer than the worst and absent; returns whether the heap changed. */
    boolean push(int p, int q, float d) {
      int base = p * k;
      if (!(d < ds[base + k - 1]) || p == q) {
        return false;
      }
      for (int r = 0; r < k; r++) {
        if (ids[base + r] == q) {
          return false;
        }
      }
      int pos = k - 1;
      while (pos > 0 && ds[base + pos - 1] > d) {
        ids[base + pos] = ids[base + pos - 1];
        ds[base + pos] = ds[base + pos - 1];
        fresh[base + pos] = fresh[base + pos - 1];
        pos--;
      }
      ids[base + pos] = q;
      ds[base + pos] = d;
      fresh[base + pos] = true;
      return true;
    }
  }

  /** Stage: all pairs inside the leaves of a few random projection trees seed the heaps. */
  private void initFromTrees(float[][] points, Heaps heaps, SplittableRandom rng) {
    int n = points.length;
    List<int[]> leaves = new ArrayList<>();
    for (int t = 0; t < options.trees(); t++) {
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      splitTree(points, order, 0, n, rng, leaves, 0);
    }
    // Leaf pair distances are independent: compute in parallel per leaf, apply in leaf order.
    float[][] leafDistances = new float[leaves.size()][];
    pool.parallelFor(0, leaves.size(), 16, (first, last) -> {
      for (int l = first; l < last; l++) {
        int[] leaf = leaves.get(l);
        float[] d = new float[leaf.length * leaf.length];
        for (int a = 0; a < leaf.length; a++) {
          for (int b = a + 1; b < leaf.length; b++) {
            d[a * leaf.length + b] = ops.squaredDistance(points[leaf[a]], 0, points[leaf[b]], 0, points[leaf[a]].length);
          }
        }
        leafDistances[l] = d;
      }
    });
    for (int l = 0; l < leaves.size(); l++) {
      int[] leaf = leaves.get(l);
      float[] d = leafDistances[l];
      for (int a = 0; a < leaf.length; a++) {
        for (int b = a + 1; b < leaf.length; b++) {
          float dd = d[a * leaf.length + b];
          heaps.push(leaf[a], leaf[b], dd);
          heaps.push(leaf[b], leaf[a], dd);
        }
      }
    }
  }

  private void splitTree(float[][] points, int[] order, int from, int to, SplittableRandom rng, List<int[]> leaves, int depth) {
    int size = to - from;
    if (size <= options.leafSize() || depth > 60) {
      leaves.add(Arrays.copyOfRange(order, from, to));
      return;
    }
    int a = order[from + rng.nextInt(size)];
    int b = order[from + rng.nextInt(size)];
    float[] pa = points[a];
    float[] pb = points[b];
    int dim = pa.length;
    // Hyperplane equidistant from a and b: sign of (x - (a+b)/2).(a - b).
    float[] normal = new float[dim];
    float offset = 0;
    for (int i = 0; i < dim; i++) {
      normal[i] = pa[i] - pb[i];
      offset += normal[i] * (pa[i] + pb[i]) / 2;
    }
    int lo = from;
    int hi = to - 1;
    while (lo <= hi) {
      float side = ops.dot(points[order[lo]], 0, normal, 0, dim) - offset;
      boolean left = side < 0 || (side == 0 && rng.nextBoolean());
      if (left) {
        lo++;
      } else {
        int tmp = order[lo];
        order[lo] = order[hi];
        order[hi] = tmp;
        hi--;
      }
    }
    int mid = lo;
    if (mid == from || mid == to) {
      mid = from + size / 2; // degenerate split (duplicates): halve arbitrarily
    }
    splitTree(points, order, from, mid, rng, leaves, depth + 1);
    splitTree(points, order, mid, to, rng, leaves, depth + 1);
  }

  /** Stage: points whose heap is not full (tiny leaves) get random neighbours. */
  private void fillRandom(float[][] points, Heaps heaps, SplittableRandom rng) {
    int n = points.length;
    for (int p = 0; p < n; p++) {
      int tries = 0;
      while (heaps.ids[p * heaps.k + heaps.k - 1] < 0 && tries++ < 4 * heaps.k) {
        int q = rng.nextInt(n);
        if (q != p) {
          heaps.push(p, q, ops.squaredDistance(points[p], 0, points[q], 0, points[p].length));
        }
      }
    }
  }

  /**
   * Stage: for every point, samples up to {@code maxCand} new and old candidates among its neighbours
   * and reverse neighbours (random priorities keep the smallest), then marks sampled new ones old.
   */
  private static void sampleCandidates(Heaps heaps, SplittableRandom rng, int maxCand,
      int[] newCand, float[] newPri, int[] newCount, int[] oldCand, float[] oldPri, int[] oldCount) {
    int k = heaps.k;
    int n = newCount.length;
    Arrays.fill(newCount, 0);
    Arrays.fill(oldCount, 0);
    for (int p = 0; p < n; p++) {
      for (int r = 0; r < k; r++) {
        int q = heaps.ids[p * k + r];
        if (q < 0) {
          continue;
        }
        float pri = rng.nextFloat();
        if (heaps.fresh[p * k + r]) {
          offer(newCand, newPri, newCount, p, q, pri, maxCand);
          offer(newCand, newPri, newCount, q, p, pri, maxCand);
        } else {
          offer(oldCand, oldPri, oldCount, p, q, pri, maxCand);
          offer(oldCand, oldPri, oldCount, q, p, pri, maxCand);
        }
      }
    }
    for (int p = 0; p < n; p++) {
      for (int r = 0; r < k; r++) {
        int q = heaps.ids[p * k + r];
        if (q >= 0 && heaps.fresh[p * k + r]) {
          for (int c = 0; c < newCount[p]; c++) {
            if (newCand[p * maxCand + c] == q) {
              heaps.fresh[p * k + r] = false;
              break;
            }
          }
        }
      }
    }
  }

  /** Keeps the {@code cap} lowest-priority distinct candidates of point p (replace the max when full). */
  private static void offer(int[] cand, float[] pri, int[] count, int p, int q, float priority, int cap) {
    int base = p * cap;
    int c = count[p];
    for (int i = 0; i < c; i++) {
      if (cand[base + i] == q) {
        return;
      }
    }
    if (c < cap) {
      cand[base + c] = q;
      pri[base + c] = priority;
      count[p] = c + 1;
      return;
    }
    int worst = 0;
    for (int i = 1; i < cap; i++) {
      if (pri[base + i] > pri[base + worst]) {
        worst = i;
      }
    }
    if (priority < pri[base + worst]) {
      cand[base + worst] = q;
      pri[base + worst] = priority;
    }
  }

  /** Stage: compares new-new and new-old candidate pairs; returns the number of heap changes. */
  private long localJoin(float[][] points, Heaps heaps, int maxCand, int[] newCand, int[] newCount, int[] oldCand, int[] oldCount) {
    int n = points.length;
    int dim = points[0].length;
    // Any slice count gives the same proposals in the same order (slices are consecutive ranges
    // read against frozen heaps), so it may follow the pool.
    int slices = Math.min(pool.parallelism(), 8);
    long changes = 0;
    for (int start = 0; start < n; start += BLOCK) {
      int end = Math.min(n, start + BLOCK);
      int from0 = start;
      List<Proposals> proposals = pool.map(slices, s -> {
        Proposals out = new Proposals();
        int lo = from0 + (end - from0) * s / slices;
        int hi = from0 + (end - from0) * (s + 1) / slices;
        for (int p = lo; p < hi; p++) {
          int nb = p * maxCand;
          int nc = newCount[p];
          int oc = oldCount[p];
          for (int i = 0; i < nc; i++) {
            int a = newCand[nb + i];
            float wa = heaps.worst(a);
            for (int j = i + 1; j < nc; j++) {
              int b = newCand[nb + j];
              float d = ops.squaredDistance(points[a], 0, points[b], 0, dim);
              if (d < wa || d < heaps.worst(b)) {
                out.add(a, b, d);
              }
            }
            for (int j = 0; j < oc; j++) {
              int b = oldCand[nb + j];
              if (b == a) {
                continue;
              }
              float d = ops.squaredDistance(points[a], 0, points[b], 0, dim);
              if (d < wa || d < heaps.worst(b)) {
                out.add(a, b, d);
              }
            }
          }
        }
        return out;
      });
      for (Proposals pr : proposals) {
        for (int i = 0; i < pr.size; i++) {
          if (heaps.push(pr.a[i], pr.b[i], pr.d[i])) {
            changes++;
          }
          if (heaps.push(pr.b[i], pr.a[i], pr.d[i])) {
            changes++;
          }
        }
      }
    }
    return changes;
  }

  private static final class Proposals {
    int[] a = new int[1024];
    int[] b = new int[1024];
    float[] d = new float[1024];
    int size;

    void add(int x, int y, float dist) {
      if (size == a.length) {
        a = Arrays.copyOf(a, size * 2);
        b = Arrays.copyOf(b, size * 2);
        d = Arrays.copyOf(d, size * 2);
      }
      a[size] = x;
      b[size] = y;
      d[size] = dist;
      size++;
    }
  }
}
