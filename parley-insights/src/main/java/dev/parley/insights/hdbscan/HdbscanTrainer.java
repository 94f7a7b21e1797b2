package dev.parley.insights.hdbscan;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.compute.ComputePool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Weighted HDBSCAN* in low dimension.
 *
 * <p>R. J. G. B. Campello, D. Moulavi and J. Sander, "Density-based clustering based on hierarchical
 * density estimates", PAKDD 2013; R. J. G. B. Campello, D. Moulavi, A. Zimek and J. Sander,
 * "Hierarchical density estimates for data clustering, visualization, and outlier detection", ACM
 * TKDD 10(1), 2015 (condensed tree, excess of mass, GLOSH); L. McInnes and J. Healy, "Accelerated
 * hierarchical density based clustering", ICDMW 2017 (Borůvka minimum spanning tree over a space tree).
 *
 * <p>Pipeline of stages on primitive arrays: core distances (KD-tree kNN with cumulative weights) →
 * mutual-reachability MST (Borůvka; per component, the cheapest edge to another component is found by
 * KD-tree search pruned by component-pure nodes and the lower bound
 * {@code max(core(q), minCore(node), dist(q, box))}) → single-linkage dendrogram (union-find) →
 * condensed tree with weighted sizes → excess-of-mass or leaf selection → labels, membership
 * probabilities and GLOSH scores.
 *
 * <p>Weights: a point of weight w stands for w coincident members (a BIRCH micro-cluster), so the core
 * distance is the distance at which the cumulative weight of neighbours, itself included, reaches
 * {@code minSamples}, and cluster sizes are total weights.
 *
 * <p>Ties: a merge of two heavy sides at height h is a split only if each side keeps a heavy part
 * below h; a side that falls apart at h itself was never a cluster (the batch-of-equal-edges semantics
 * of Campello et al., as Tribuo has them), so no selected cluster is ever empty.
 *
 * <p>Implementation note. Why Borůvka rounds are cheap: components only grow, so a point's cheapest
 * foreign edge only gets dearer; a bound proved in one round (or a partner still foreign) stays valid
 * in the next. So each component's bound is seeded from the kNN lists and last round's partners, a
 * point whose lower bound already reaches it is skipped (in round one almost every point), and KD
 * nodes wholly inside the component are skipped. Why results never depend on the thread count: the
 * core distances are independent per point, and each Borůvka round searches a fixed number of leaf
 * slices ({@link #SLICES}) against private copies of the component bounds, merged in slice order by a
 * total edge order (weight, smaller endpoint, larger endpoint). Measured gains, 30k x 5-D blobs, min
 * samples 10, 2 cores (the full history, with what was tried and dropped, is in docs/benchmarks.md,
 * "HDBSCAN implementation history"):
 * <ul>
 *   <li>box distances computed once per child and carried on the traversal stack: fit 0.39 to 0.26 s;</li>
 *   <li>Borůvka queries batched per KD leaf (one traversal per leaf, box-to-box pruning): MST 0.11 to 0.08 s;</li>
 *   <li>Borůvka rounds in parallel over 8 fixed slices: MST 0.071 to 0.046 s;</li>
 *   <li>KD leaf size 32 instead of 24: kNN 0.070 to 0.057 s;</li>
 *   <li>kNN leaf scan over dimension-major coordinates (a loop C2 vectorises, same bits): kNN 0.060 to 0.048 s;</li>
 *   <li>flat kNN lists, their mutual-reachability weights computed once, dead lists dropped from the
 *       seeding: MST 0.050 to 0.045 s.</li>
 * </ul>
 * Whole fit 0.104 s against Tribuo's 10.85 s (104x), same clusters.
 */
public final class HdbscanTrainer {
  /** Leaf slices per Borůvka round: fixed, so that results do not depend on the thread count. */
  private static final int SLICES = 8;
  private final HdbscanOptions options;
  private final ComputePool pool;


  /** @param pool threads for the core distances and the Borůvka searches (results do not depend on them) */
  public HdbscanTrainer(HdbscanOptions options, ComputePool pool) {
    this.options = requireNonNull(options, "options is null");
    this.pool = requireNonNull(pool, "pool is null");
  }

  /** Unit weights. */
  public HdbscanModel fit(double[] coords, int dim) {
    requireNonNull(coords, "coords is null");
    checkShape(coords, dim);
    long[] unit = new long[coords.length / dim];
    Arrays.fill(unit, 1);
    return fit(coords, dim, unit);
  }

  /**
   * @param coords row-major n x dim coordinates
   * @param dim dimension (low: 2-10 after UMAP)
   * @param weights weight (member count) of each point, each >= 1
   */
  public HdbscanModel fit(double[] coords, int dim, long[] weights) {
    requireNonNull(coords, "coords is null");
    requireNonNull(weights, "weights is null");
    checkShape(coords, dim);
    int n = coords.length / dim;
    long[] w = weights;
    if (w.length != n) {
      throw new IllegalArgumentException("weights must have one entry per point, expected " + n + ", found " + w.length);
    }
    double total = 0;
    for (int i = 0; i < n; i++) {
      if (w[i] < 1) {
        throw new IllegalArgumentException("weights must be >= 1, found " + w[i] + " at " + i);
      }
      total += w[i];
    }
    for (double c : coords) {
      if (!Double.isFinite(c)) {
        throw new IllegalArgumentException("coords must be finite, found " + c);
      }
    }
    if (n < 2 || total < options.minClusterSize()) {
      return allNoise(n);
    }
    long t0 = System.nanoTime();
    KdTree tree = new KdTree(coords, n, dim, options.leafSize());
    int k = Math.min(n, options.minSamples());
    // Flat kNN lists (k per point, self first): tree positions, then mutual-reachability weights.
    int[] knnPos = new int[n * k];
    double[] knnW = new double[n * k];
    long t1 = System.nanoTime();
    double[] core = coreDistances(tree, w, k, knnPos, knnW);
    long t2 = System.nanoTime();
    Mst mst = boruvka(tree, core, k, knnPos, knnW);
    long t3 = System.nanoTime();
    HdbscanModel model = extract(n, w, mst);
    long t4 = System.nanoTime();
    return model.withStageSeconds(new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9});
  }

  private static void checkShape(double[] coords, int dim) {
    if (dim < 1 || coords.length % dim != 0) {
      throw new IllegalArgumentException("coords length must be a multiple of dim=" + dim + ", found " + coords.length);
    }
  }

  private static HdbscanModel allNoise(int n) {
    int[] labels = new int[n];
    Arrays.fill(labels, HdbscanModel.NOISE);
    double[] scores = new double[n];
    return new HdbscanModel(labels, new double[n], scores, 0, new double[0], 0, new double[4]);
  }

  /**
   * Stage: core distance of every tree position (indexed by tree position), and its k nearest
   * positions (self first) to seed Borůvka.
   */
  private double[] coreDistances(KdTree tree, long[] w, int k, int[] knnPos, double[] knnW) {
    int n = tree.n;
    double[] core = new double[n];
    long minSamples = options.minSamples();
    pool.parallelFor(0, n, 1024, (from, to) -> {
      int[] pos = new int[k];
      double[] d2 = new double[k];
      int[] stack = new int[256];
      double[] stackD2 = new double[256];
      double[] leafD2 = new double[tree.maxLeafSize()];
      for (int q = from; q < to; q++) {
        int found = tree.knn(q, k, pos, d2, stack, stackD2, leafD2);
        long cumulative = 0;
        double c = Math.sqrt(d2[found - 1]);
        for (int r = 0; r < found; r++) {
          cumulative += w[tree.index[pos[r]]];
          if (cumulative >= minSamples) {
            c = Math.sqrt(d2[r]);
            break;
          }
        }
        core[q] = c;
        // found == k (k <= n); distances kept for the weights below (same bits as tree.dist2)
        System.arraycopy(pos, 0, knnPos, q * k, k);
        System.arraycopy(d2, 0, knnW, q * k, k);
      }
    });
    // Mutual-reachability weight of every kNN pair, once and in parallel, for Borůvka's seeding.
    pool.parallelFor(0, n, 1024, (from, to) -> {
      for (int q = from; q < to; q++) {
        for (int j = q * k; j < q * k + k; j++) {
          knnW[j] = Math.max(Math.max(core[q], core[knnPos[j]]), Math.sqrt(knnW[j]));
        }
      }
    });
    return core;
  }

  /** A minimum spanning tree: edge e joins original points a[e] and b[e] at weight w[e]. */
  record Mst(int[] a, int[] b, double[] w) {}

  /**
   * Stage: Borůvka MST of the mutual reachability graph (indexes of {@code core} and {@code knnPos}
   * are tree positions; the returned edges use original indexes).
   */
  private Mst boruvka(KdTree tree, double[] core, int k, int[] knnPos, double[] knnW) {
    int n = tree.n;
    int nodes = tree.nodes;
    double[] minCore = new double[nodes];
    for (int node = nodes - 1; node >= 0; node--) {
      if (tree.isLeaf(node)) {
        double m = Double.POSITIVE_INFINITY;
        for (int p = tree.start[node]; p < tree.end[node]; p++) {
          m = Math.min(m, core[p]);
        }
        minCore[node] = m;
      } else {
        minCore[node] = Math.min(minCore[tree.left[node]], minCore[tree.right[node]]);
      }
    }
    int[] position = new int[n];
    for (int p = 0; p < n; p++) {
      position[tree.index[p]] = p;
    }
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    int[] comp = new int[n];
    int[] nodeComp = new int[nodes];
    int[] ea = new int[n - 1];
    int[] eb = new int[n - 1];
    double[] ew = new double[n - 1];
    int edges = 0;
    double[] bw = new double[n];
    int[] ba = new int[n];
    int[] bb = new int[n];
    // Per point, across rounds: a lower bound on its cheapest foreign edge, and that edge once found
    // exactly. Components only grow, so a point's cheapest foreign edge can only get dearer: the bound
    // stays valid, and a found edge stays optimal while its far end is still foreign.
    double[] lowerBound = core.clone();
    int[] partner = new int[n];
    double[] partnerW = new double[n];
    Arrays.fill(partner, -1);
    int[] pureTop = new int[nodes];
    boolean[] knnLive = new boolean[n];
    Arrays.fill(knnLive, true);
    int[] leaves = IntStream.range(0, nodes).filter(tree::isLeaf).toArray();
    double[][] sbw = new double[SLICES][n];
    int[][] sba = new int[SLICES][n];
    int[][] sbb = new int[SLICES][n];
    while (edges < n - 1) {
      for (int p = 0; p < n; p++) {
        comp[p] = find(parent, p);
      }
      for (int node = nodes - 1; node >= 0; node--) {
        if (tree.isLeaf(node)) {
          int c = comp[tree.start[node]];
          for (int p = tree.start[node] + 1; p < tree.end[node] && c >= 0; p++) {
            if (comp[p] != c) {
              c = -1;
            }
          }
          nodeComp[node] = c;
        } else {
          int l = nodeComp[tree.left[node]];
          nodeComp[node] = l >= 0 && l == nodeComp[tree.right[node]] ? l : -1;
        }
      }
      Arrays.fill(bw, Double.POSITIVE_INFINITY);
      Arrays.fill(ba, -1);
      // Seed bounds: still-foreign partners from earlier rounds (exact), then the kNN lists.
      for (int q = 0; q < n; q++) {
        int cq = comp[q];
        int pp = partner[q];
        if (pp >= 0) {
          if (comp[pp] != cq) {
            offer(bw, ba, bb, cq, partnerW[q], tree.index[q], tree.index[pp]);
          } else {
            partner[q] = -1;
          }
        }
        if (knnLive[q]) {
          boolean live = false;
          for (int j = q * k; j < q * k + k; j++) {
            int p = knnPos[j];
            if (comp[p] != cq) {
              live = true;
              offer(bw, ba, bb, cq, knnW[j], tree.index[q], tree.index[p]);
            }
          }
          // components only grow: a list wholly inside its component stays so
          knnLive[q] = live;
        }
      }
      // Highest component-pure ancestor of every leaf: points deep inside it are far from foreigners.
      for (int node = 0; node < nodes; node++) {
        int u = tree.up[node];
        pureTop[node] = nodeComp[node] >= 0 && u >= 0 && nodeComp[u] == nodeComp[node] ? pureTop[u] : node;
      }
      // Queries batched per KD leaf: one traversal serves all of a leaf's candidate points, pruned by
      // box-to-box distance, so the interior of a big component costs one walk per leaf, not per point.
      // The leaves are cut into a fixed number of slices searched in parallel, each against its own
      // copy of the component bounds; the slices are merged in slice order by the total edge order, so
      // the result never depends on the thread count or the scheduling.
      for (int ch = 0; ch < SLICES; ch++) {
        System.arraycopy(bw, 0, sbw[ch], 0, n);
        System.arraycopy(ba, 0, sba[ch], 0, n);
        System.arraycopy(bb, 0, sbb[ch], 0, n);
      }
      pool.parallelFor(0, SLICES, 1, (first, last) -> {
        for (int ch = first; ch < last; ch++) {
          searchSlice(tree, leaves, ch * leaves.length / SLICES, (ch + 1) * leaves.length / SLICES, sbw[ch], sba[ch],
              sbb[ch], core, minCore, comp, nodeComp, pureTop, partner, partnerW, lowerBound);
        }
      });
      for (int ch = 0; ch < SLICES; ch++) {
        double[] cbw = sbw[ch];
        int[] cba = sba[ch];
        int[] cbb = sbb[ch];
        for (int c = 0; c < n; c++) {
          if (cba[c] >= 0 && (ba[c] < 0 || better(cbw[c], cba[c], cbb[c], bw[c], ba[c], bb[c]))) {
            bw[c] = cbw[c];
            ba[c] = cba[c];
            bb[c] = cbb[c];
          }
        }
      }
      // Add each component's cheapest edge, in ascending component order (deterministic).
      int added = 0;
      for (int c = 0; c < n; c++) {
        if (comp[c] != c) {
          continue;
        }
        double best = bw[c];
        int a = ba[c];
        int b = bb[c];
        if (a < 0) {
          continue;
        }
        int ra = find(parent, position[a]);
        int rb = find(parent, position[b]);
        if (ra != rb) {
          parent[Math.max(ra, rb)] = Math.min(ra, rb);
          ea[edges] = a;
          eb[edges] = b;
          ew[edges] = best;
          edges++;
          added++;
        }
      }
      if (added == 0) {
        throw new IllegalStateException("Borůvka made no progress with " + edges + " of " + (n - 1) + " edges");
      }
    }
    return new Mst(ea, eb, ew);
  }

  /**
   * One slice of a Borůvka round: the leaves {@code leaves[from..to)}, each searched as a batch of its
   * candidate points (those whose lower bound and distance to their pure ancestor's faces do not
   * already reach their component's bound in this slice's copy {@code bw}). Updates the per-point
   * caches of the slice's own points only.
   */
  private static void searchSlice(KdTree tree, int[] leaves, int from, int to, double[] bw, int[] ba, int[] bb,
      double[] core, double[] minCore, int[] comp, int[] nodeComp, int[] pureTop, int[] partner, double[] partnerW,
      double[] lowerBound) {
    int[] stack = new int[256];
    double[] stackD2 = new double[256];
    int max = tree.maxLeafSize();
    int[] batch = new int[max];
    double[] batchW = new double[max];
    int[] batchP = new int[max];
    for (int li = from; li < to; li++) {
      int leaf = leaves[li];
      int cand = 0;
      for (int q = tree.start[leaf]; q < tree.end[leaf]; q++) {
        int c = comp[q];
        double bound = bw[c];
        if (partner[q] >= 0 || lowerBound[q] >= bound) {
          continue;
        }
        if (nodeComp[leaf] == c && tree.faceDistance(q, pureTop[leaf]) >= bound) {
          continue;
        }
        batch[cand] = q;
        batchW[cand] = Double.POSITIVE_INFINITY;
        batchP[cand] = -1;
        cand++;
      }
      if (cand == 0) {
        continue;
      }
      searchBatch(tree, leaf, batch, cand, batchW, batchP, core, minCore, comp, nodeComp, bw, ba, bb, stack, stackD2);
      for (int i = 0; i < cand; i++) {
        int q = batch[i];
        double fin = bw[comp[q]];
        if (batchP[i] >= 0 && batchW[i] == fin) {
          partner[q] = batchP[i];
          partnerW[q] = fin;
          lowerBound[q] = fin;
        } else {
          lowerBound[q] = Math.max(lowerBound[q], fin);
        }
      }
    }
  }

  private static void offer(double[] bw, int[] ba, int[] bb, int c, double w, int a, int b) {
    int lo = Math.min(a, b);
    int hi = Math.max(a, b);
    if (ba[c] < 0 || better(w, lo, hi, bw[c], ba[c], bb[c])) {
      bw[c] = w;
      ba[c] = lo;
      bb[c] = hi;
    }
  }

  /** Total order on edges: weight, then smaller endpoint, then larger endpoint (endpoints given as lo, hi). */
  private static boolean better(double w, int lo, int hi, double w2, int lo2, int hi2) {
    if (w != w2) {
      return w < w2;
    }
    if (lo != lo2) {
      return lo < lo2;
    }
    return hi < hi2;
  }

  /**
   * Cheapest mutual-reachability edges from the candidate points {@code batch[0..cand)} of one KD leaf
   * to other components; updates each candidate's component slot, and records per candidate the best
   * edge it found itself ({@code batchW}, {@code batchP}: weight and far tree position). A node is
   * pruned when its lower bound {@code max(minCore(batch), minCore(node), dist(leaf box, node box))}
   * reaches the largest bound among the candidates' components, or when it lies wholly inside the
   * single component of all candidates; points are then checked one candidate at a time.
   */
  private static void searchBatch(KdTree tree, int leaf, int[] batch, int cand, double[] batchW, int[] batchP,
      double[] core, double[] minCore, int[] comp, int[] nodeComp, double[] bw, int[] ba, int[] bb, int[] stack,
      double[] stackD2) {
    double qMinCore = Double.POSITIVE_INFINITY;
    int pure = comp[batch[0]];
    for (int i = 0; i < cand; i++) {
      qMinCore = Math.min(qMinCore, core[batch[i]]);
      if (comp[batch[i]] != pure) {
        pure = -1;
      }
    }
    double lbound = batchBound(batch, cand, comp, bw);
    int top = 0;
    stack[top] = 0;
    stackD2[top++] = tree.boxDist2(leaf, 0);
    while (top > 0) {
      --top;
      int node = stack[top];
      if (stackD2[top] >= lbound * lbound) {
        continue;
      }
      if (tree.isLeaf(node)) {
        for (int i = 0; i < cand; i++) {
          int q = batch[i];
          int c = comp[q];
          double cq = core[q];
          if (Math.max(cq, minCore[node]) >= bw[c] || tree.minDist2(q, node) >= bw[c] * bw[c]) {
            continue;
          }
          int qi = tree.index[q];
          for (int p = tree.start[node]; p < tree.end[node]; p++) {
            double b = bw[c];
            if (comp[p] == c || core[p] >= b) {
              continue;
            }
            double d2 = tree.dist2(q, p);
            if (d2 >= b * b) {
              continue;
            }
            double wgt = Math.max(Math.max(cq, core[p]), Math.sqrt(d2));
            if (wgt < b) {
              int pi = tree.index[p];
              bw[c] = wgt;
              ba[c] = Math.min(qi, pi);
              bb[c] = Math.max(qi, pi);
              batchW[i] = wgt;
              batchP[i] = p;
            }
          }
        }
        lbound = batchBound(batch, cand, comp, bw);
      } else {
        int l = tree.left[node];
        int r = tree.right[node];
        boolean useL = (pure < 0 || nodeComp[l] != pure) && Math.max(minCore[l], qMinCore) < lbound;
        boolean useR = (pure < 0 || nodeComp[r] != pure) && Math.max(minCore[r], qMinCore) < lbound;
        double dl = useL ? tree.boxDist2(leaf, l) : Double.POSITIVE_INFINITY;
        double dr = useR ? tree.boxDist2(leaf, r) : Double.POSITIVE_INFINITY;
        double b2 = lbound * lbound;
        useL &= dl < b2;
        useR &= dr < b2;
        if (dl <= dr) {
          if (useR) {
            stack[top] = r;
            stackD2[top++] = dr;
          }
          if (useL) {
            stack[top] = l;
            stackD2[top++] = dl;
          }
        } else {
          if (useL) {
            stack[top] = l;
            stackD2[top++] = dl;
          }
          if (useR) {
            stack[top] = r;
            stackD2[top++] = dr;
          }
        }
      }
    }
  }

  private static double batchBound(int[] batch, int cand, int[] comp, double[] bw) {
    double m = 0;
    for (int i = 0; i < cand; i++) {
      m = Math.max(m, bw[comp[batch[i]]]);
    }
    return m;
  }

  private static int find(int[] parent, int x) {
    int root = x;
    while (parent[root] != root) {
      root = parent[root];
    }
    while (parent[x] != root) {
      int next = parent[x];
      parent[x] = root;
      x = next;
    }
    return root;
  }

  /**
   * Stages after the MST: dendrogram, condensed tree, selection, labels, probabilities, GLOSH.
   * Package-private so tests can feed an MST directly.
   */
  HdbscanModel extract(int n, long[] w, Mst mst) {
    int m = n - 1;
    int[] ea = mst.a();
    int[] eb = mst.b();
    double[] ew = mst.w();
    // Primitive merge sort of edge ids (a boxed Integer[] sort with a lambda comparator cost ~4 ms at 30k).
    int[] order = new int[m];
    for (int e = 0; e < m; e++) {
      order[e] = e;
    }
    mergeSort(order, new int[m], 0, m, ea, eb, ew);
    // Single-linkage dendrogram: node ids 0..n-1 points, n..2n-2 merges.
    int[] uf = new int[2 * n - 1];
    for (int i = 0; i < uf.length; i++) {
      uf[i] = i;
    }
    int[] leftChild = new int[m];
    int[] rightChild = new int[m];
    double[] height = new double[m];
    double[] size = new double[2 * n - 1];
    for (int i = 0; i < n; i++) {
      size[i] = w[i];
    }
    for (int x = 0; x < m; x++) {
      int e = order[x];
      int ra = find(uf, ea[e]);
      int rb = find(uf, eb[e]);
      int node = n + x;
      leftChild[x] = ra;
      rightChild[x] = rb;
      height[x] = ew[e];
      size[node] = size[ra] + size[rb];
      uf[ra] = node;
      uf[rb] = node;
    }
    return condenseAndSelect(n, w, leftChild, rightChild, height, size);
  }

  /** Sorts {@code order[from..to)} by {@link #edgeBefore}; {@code tmp} is scratch of the same length. */
  private static void mergeSort(int[] order, int[] tmp, int from, int to, int[] ea, int[] eb, double[] ew) {
    if (to - from <= 16) {
      for (int i = from + 1; i < to; i++) {
        int x = order[i];
        int j = i - 1;
        while (j >= from && edgeBefore(x, order[j], ea, eb, ew)) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = x;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(order, tmp, from, mid, ea, eb, ew);
    mergeSort(order, tmp, mid, to, ea, eb, ew);
    if (!edgeBefore(order[mid], order[mid - 1], ea, eb, ew)) {
      return;
    }
    System.arraycopy(order, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    for (int o = from; o < to; o++) {
      if (j >= to || (i < mid && !edgeBefore(tmp[j], tmp[i], ea, eb, ew))) {
        order[o] = tmp[i++];
      } else {
        order[o] = tmp[j++];
      }
    }
  }

  /** Edge order: weight ({@link Double#compare}), then smaller endpoint, then larger endpoint. */
  private static boolean edgeBefore(int x, int y, int[] ea, int[] eb, double[] ew) {
    int c = Double.compare(ew[x], ew[y]);
    if (c != 0) {
      return c < 0;
    }
    c = Integer.compare(Math.min(ea[x], eb[x]), Math.min(ea[y], eb[y]));
    return c != 0 ? c < 0 : Math.max(ea[x], eb[x]) < Math.max(ea[y], eb[y]);
  }

  private HdbscanModel condenseAndSelect(int n, long[] w, int[] leftChild, int[] rightChild, double[] height, double[] size) {
    double mcs = options.minClusterSize();
    int root = 2 * n - 2;
    // Condensed tree as parallel lists: parent cluster, child (point id, or cluster id + n), lambda, weight.
    IntList cParent = new IntList();
    IntList cChild = new IntList();
    DoubleList cLambda = new DoubleList();
    DoubleList cWeight = new DoubleList();
    IntList clusterParent = new IntList();
    DoubleList clusterBirth = new DoubleList();
    clusterParent.add(-1);
    clusterBirth.add(0);
    int[] label = new int[2 * n - 1];
    Arrays.fill(label, -1);
    label[root] = 0;
    double[] pointLambda = new double[n];
    int[] pointCluster = new int[n];
    int[] stack = new int[2 * n];
    int[] sub = new int[2 * n];
    int[] probe = new int[2 * n];
    int top = 0;
    stack[top++] = root;
    while (top > 0) {
      int node = stack[--top];
      if (node < n) {
        continue;
      }
      int cluster = label[node];
      int x = node - n;
      int l = leftChild[x];
      int r = rightChild[x];
      double lambda = lambdaOf(height[x]);
      boolean lBig = size[l] >= mcs;
      boolean rBig = size[r] >= mcs;
      if (lBig && rBig) {
        // Ties: a side is a new cluster only if part of it outlives this level; a side that dissolves
        // into small pieces at the same height was never a cluster (it had no members and was still
        // selected: one empty label in 23 at 1M points).
        lBig = outlivesLevel(l, height[x], n, mcs, leftChild, rightChild, height, size, probe);
        rBig = outlivesLevel(r, height[x], n, mcs, leftChild, rightChild, height, size, probe);
      }
      if (lBig && rBig) {
        for (int child : new int[] {l, r}) {
          int id = clusterParent.size();
          clusterParent.add(cluster);
          clusterBirth.add(lambda);
          label[child] = id;
          cParent.add(cluster);
          cChild.add(n + id);
          cLambda.add(lambda);
          cWeight.add(size[child]);
          if (child < n) {
            // a single point heavy enough to be a cluster (a big micro-cluster): it is born and ends here
            cParent.add(id);
            cChild.add(child);
            cLambda.add(lambda);
            cWeight.add(w[child]);
            pointLambda[child] = lambda;
            pointCluster[child] = id;
          } else {
            stack[top++] = child;
          }
        }
      } else {
        for (int child : new int[] {l, r}) {
          boolean big = child == l ? lBig : rBig;
          if (big && child >= n) {
            label[child] = cluster;
            stack[top++] = child;
          } else if (big) {
            // the cluster continues as one heavy point: it ends here
            cParent.add(cluster);
            cChild.add(child);
            cLambda.add(lambda);
            cWeight.add(w[child]);
            pointLambda[child] = lambda;
            pointCluster[child] = cluster;
          } else {
            // every point below falls out of this cluster at lambda
            int st = 0;
            sub[st++] = child;
            while (st > 0) {
              int v = sub[--st];
              if (v < n) {
                // Ties: a point leaving at the very level its cluster was born left the parent in the
                // same batch of equal-weight edges (Campello's and Tribuo's semantics).
                int from = cluster;
                while (from > 0 && lambda == clusterBirth.get(from)) {
                  from = clusterParent.get(from);
                }
                cParent.add(from);
                cChild.add(v);
                cLambda.add(lambda);
                cWeight.add(w[v]);
                pointLambda[v] = lambda;
                pointCluster[v] = from;
              } else {
                sub[st++] = leftChild[v - n];
                sub[st++] = rightChild[v - n];
              }
            }
          }
        }
      }
    }
    int clusters = clusterParent.size();
    // Stability: sum over condensed entries of (lambda - birth(parent)) * weight.
    double[] stability = new double[clusters];
    for (int e = 0; e < cParent.size(); e++) {
      int p = cParent.get(e);
      double lam = cLambda.get(e);
      stability[p] += (Math.min(lam, Double.MAX_VALUE) - clusterBirth.get(p)) * cWeight.get(e);
    }
    boolean[] hasChild = new boolean[clusters];
    for (int c = 1; c < clusters; c++) {
      hasChild[clusterParent.get(c)] = true;
    }
    boolean[] selected = new boolean[clusters];
    if (options.selection() == HdbscanOptions.Selection.LEAF) {
      for (int c = 1; c < clusters; c++) {
        selected[c] = !hasChild[c];
      }
      if (clusters == 1 && options.allowSingleCluster()) {
        selected[0] = true;
      }
    } else {
      // Excess of mass: bottom-up (children have larger ids), keep a cluster unless its children's
      // propagated stability is strictly larger (ties favour the parent, as Tribuo and hdbscan do).
      double[] propagated = new double[clusters];
      for (int c = clusters - 1; c >= 1; c--) {
        double value;
        if (!hasChild[c] || stability[c] >= propagated[c]) {
          selected[c] = true;
          value = stability[c];
        } else {
          value = propagated[c];
        }
        propagated[clusterParent.get(c)] += value;
      }
      if (options.allowSingleCluster() && (!hasChild[0] || stability[0] >= propagated[0])) {
        selected[0] = true;
      }
      boolean[] ancestorSelected = new boolean[clusters];
      for (int c = 1; c < clusters; c++) {
        int p = clusterParent.get(c);
        ancestorSelected[c] = ancestorSelected[p] || selected[p];
      }
      for (int c = 1; c < clusters; c++) {
        if (ancestorSelected[c]) {
          selected[c] = false;
        }
      }
    }
    // Selected ancestor of each cluster (top-down; parents first).
    int[] owner = new int[clusters];
    for (int c = 0; c < clusters; c++) {
      if (selected[c]) {
        owner[c] = c;
      } else {
        owner[c] = c == 0 ? -1 : owner[clusterParent.get(c)];
      }
    }
    int[] flat = new int[clusters];
    Arrays.fill(flat, -1);
    int count = 0;
    List<Double> stabs = new ArrayList<>();
    for (int c = 0; c < clusters; c++) {
      if (selected[c]) {
        flat[c] = count++;
        stabs.add(stability[c]);
      }
    }
    // Max lambda over each cluster's subtree (for probabilities and GLOSH).
    double[] maxLambda = new double[clusters];
    for (int v = 0; v < n; v++) {
      maxLambda[pointCluster[v]] = Math.max(maxLambda[pointCluster[v]], pointLambda[v]);
    }
    for (int c = clusters - 1; c > 0; c--) {
      int p = clusterParent.get(c);
      maxLambda[p] = Math.max(maxLambda[p], maxLambda[c]);
    }
    int[] labels = new int[n];
    double[] prob = new double[n];
    double[] glosh = new double[n];
    for (int v = 0; v < n; v++) {
      int c = pointCluster[v];
      double lam = pointLambda[v];
      double ml = maxLambda[c];
      glosh[v] = ml == 0 || Double.isInfinite(ml) ? 0 : Math.max(0, (ml - lam) / ml);
      int o = owner[c];
      if (o < 0) {
        labels[v] = HdbscanModel.NOISE;
        prob[v] = 0;
      } else {
        labels[v] = flat[o];
        double mo = maxLambda[o];
        prob[v] = mo == 0 || Double.isInfinite(mo) ? 1 : Math.min(lam, mo) / mo;
      }
    }
    assert everyLabelUsed(labels, count) : "a selected cluster has no member";
    double mstWeight = 0;
    for (double h : height) {
      mstWeight += h;
    }
    double[] st = new double[stabs.size()];
    for (int i = 0; i < st.length; i++) {
      st[i] = stabs.get(i);
    }
    return new HdbscanModel(labels, prob, glosh, count, st, mstWeight, new double[4]);
  }

  private static boolean everyLabelUsed(int[] labels, int count) {
    boolean[] used = new boolean[count];
    for (int l : labels) {
      if (l >= 0) {
        used[l] = true;
      }
    }
    for (boolean u : used) {
      if (!u) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the dendrogram subtree at {@code node} keeps a part of weight at least {@code mcs} once
   * the edges of weight {@code h} (the level being cut) are removed: a heavy point, or a merge below
   * {@code h}. Merges at exactly {@code h} belong to the same level and are looked through, as the
   * batch-of-equal-edges semantics of Campello et al. (and Tribuo) have it. Tie-free data never walks
   * further than {@code node} itself.
   */
  private static boolean outlivesLevel(int node, double h, int n, double mcs, int[] leftChild, int[] rightChild,
      double[] height, double[] size, int[] stack) {
    int top = 0;
    stack[top++] = node;
    while (top > 0) {
      int v = stack[--top];
      if (size[v] < mcs) {
        continue;
      }
      if (v < n || height[v - n] < h) {
        return true;
      }
      stack[top++] = leftChild[v - n];
      stack[top++] = rightChild[v - n];
    }
    return false;
  }

  private static double lambdaOf(double distance) {
    return distance > 0 ? 1.0 / distance : Double.POSITIVE_INFINITY;
  }

  private static final class IntList {
    private int[] a = new int[16];
    private int size;

    void add(int v) {
      if (size == a.length) {
        a = Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }

    int get(int i) {
      return a[i];
    }

    int size() {
      return size;
    }
  }

  private static final class DoubleList {
    private double[] a = new double[16];
    private int size;

    void add(double v) {
      if (size == a.length) {
        a = Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }

    double get(int i) {
      return a[i];
    }
  }
}
