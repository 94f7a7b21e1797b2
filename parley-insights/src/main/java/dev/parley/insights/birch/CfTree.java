package dev.parley.insights.birch;

import dev.parley.insights.vector.VectorOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The mutable CF-tree of BIRCH (T. Zhang, R. Ramakrishnan and M. Livny, "BIRCH: an efficient data
 * clustering method for very large databases", SIGMOD 1996; "BIRCH: a new data clustering algorithm
 * and its applications", DMKD 1(2), 1997). Package-private: {@link BirchTrainer} drives it.
 *
 * <p>A clustering feature CF = (n, LS, SS) with LS the linear sum and SS the sum of squared norms is
 * additive, so entries, subtrees and whole trees merge by adding CFs. Leaf entries are micro-clusters
 * whose radius {@code sqrt(SS/n - |LS/n|^2)} stays at most the threshold T.
 *
 * <p>Implementation notes. Each node stores its entries' CFs in flat arrays and, beside LS (double,
 * exact), a float copy of every entry centroid laid out contiguously, so choosing the closest child is
 * one batched SIMD pass ({@link VectorOps#dotRows}) over the node: {@code argmin |c|^2 - 2 x.c}. The
 * absorb test needs only {@code x.c} from the same pass. Every leaf entry has an id; when a rebuild
 * with a larger threshold re-inserts entries, {@code forward[old] = new} records where each went, so
 * the point-to-micro-cluster assignment made at insertion time can be resolved at the end.
 */
final class CfTree {
  private static final double EPS = 1e-9;

  final int dim;
  final int branching;
  final int leafCapacity;
  final VectorOps ops;
  double threshold;
  Node root;
  int leafEntries;
  private int[] forward = new int[1024];
  private int nextId;
  private final float[] scratch;
  private final List<Node> pathNodes = new ArrayList<>();
  private int[] pathSlots = new int[64];

  CfTree(int dim, int branching, int leafCapacity, double threshold, VectorOps ops) {
    this.dim = dim;
    this.branching = branching;
    this.leafCapacity = leafCapacity;
    this.threshold = threshold;
    this.ops = ops;
    this.root = new Node(true, leafCapacity + 1, dim);
    this.scratch = new float[Math.max(branching, leafCapacity) + 1];
  }

  /**
   * A node: up to cap entries (one spare slot for the overflow that triggers a split). A leaf has ids
   * and no children, an inner node children and no ids (the other array is empty).
   */
  static final class Node {
    private static final Node[] NO_CHILDREN = new Node[0];
    private static final int[] NO_IDS = new int[0];

    final boolean leaf;
    int size;
    final long[] n;
    final double[] ls;
    final double[] ss;
    final float[] cent;
    final float[] cnorm;
    final Node[] child;
    final int[] id;

    Node(boolean leaf, int cap, int dim) {
      this.leaf = leaf;
      n = new long[cap];
      ls = new double[cap * dim];
      ss = new double[cap];
      cent = new float[cap * dim];
      cnorm = new float[cap];
      child = leaf ? NO_CHILDREN : new Node[cap];
      id = leaf ? new int[cap] : NO_IDS;
    }
  }

  /**
   * Inserts a single point (n = 1, LS = the point) and returns the id of the leaf entry that holds it.
   *
   * @param point the point
   * @param squares its squared norm (SS)
   */
  int insertPoint(float[] point, double squares) {
    return insertCf(1, null, point, squares);
  }

  /**
   * Inserts a CF and returns the id of the leaf entry that holds it.
   *
   * @param count n of the CF
   * @param sum LS of the CF
   * @param centroid LS / n as floats
   * @param squares SS of the CF
   */
  int insert(long count, double[] sum, float[] centroid, double squares) {
    return insertCf(count, sum, centroid, squares);
  }

  /** {@code sum == null} for a single point (then LS = centroid), so that a point costs no LS copy. */
  private int insertCf(long count, double @Nullable [] sum, float[] centroid, double squares) {
    float cn = ops.dot(centroid, 0, centroid, 0, dim);
    pathNodes.clear();
    Node node = root;
    int depth = 0;
    while (!node.leaf) {
      int slot = closest(node, centroid);
      addTo(node, slot, count, sum, centroid, squares);
      pathNodes.add(node);
      if (depth == pathSlots.length) {
        pathSlots = Arrays.copyOf(pathSlots, depth * 2);
      }
      pathSlots[depth++] = slot;
      node = node.child[slot];
    }
    if (node.size > 0) {
      int slot = closest(node, centroid);
      double dot = scratch[slot];
      long n1 = node.n[slot];
      long total = n1 + count;
      double mergedNorm = ((double) n1 * n1 * node.cnorm[slot] + 2.0 * n1 * count * dot + (double) count * count * cn) / ((double) total * total);
      double r2 = (node.ss[slot] + squares) / total - mergedNorm;
      if (r2 <= threshold * threshold + EPS) {
        addTo(node, slot, count, sum, centroid, squares);
        return node.id[slot];
      }
    }
    int slot = node.size++;
    node.n[slot] = 0;
    node.ss[slot] = 0;
    Arrays.fill(node.ls, slot * dim, slot * dim + dim, 0);
    addTo(node, slot, count, sum, centroid, squares);
    int id = newId();
    node.id[slot] = id;
    leafEntries++;
    if (node.size > leafCapacity) {
      splitUp(node, depth);
    }
    return id;
  }

  /** Index of the entry of {@code node} whose centroid is closest to {@code x}; leaves x.c in scratch. */
  private int closest(Node node, float[] x) {
    ops.dotRows(x, 0, node.cent, 0, node.size, dim, scratch, 0);
    int best = 0;
    float bestScore = Float.POSITIVE_INFINITY;
    for (int s = 0; s < node.size; s++) {
      float score = node.cnorm[s] - 2 * scratch[s];
      if (score < bestScore) {
        bestScore = score;
        best = s;
      }
    }
    return best;
  }

  private void addTo(Node node, int slot, long count, double @Nullable [] sum, float[] centroid, double squares) {
    int off = slot * dim;
    long total = node.n[slot] + count;
    node.n[slot] = total;
    node.ss[slot] += squares;
    double inv = 1.0 / total;
    double[] ls = node.ls;
    float[] cent = node.cent;
    float norm = 0;
    if (sum == null) {
      for (int d = 0; d < dim; d++) {
        double v = ls[off + d] + centroid[d];
        ls[off + d] = v;
        float c = (float) (v * inv);
        cent[off + d] = c;
        norm += c * c;
      }
    } else {
      for (int d = 0; d < dim; d++) {
        double v = ls[off + d] + sum[d];
        ls[off + d] = v;
        float c = (float) (v * inv);
        cent[off + d] = c;
        norm += c * c;
      }
    }
    node.cnorm[slot] = norm;
  }

  private int newId() {
    if (nextId == forward.length) {
      forward = Arrays.copyOf(forward, nextId * 2);
    }
    forward[nextId] = -1;
    return nextId++;
  }

  /** Splits an overfull node and propagates the split up the recorded path. */
  private void splitUp(Node node, int depth) {
    Node current = node;
    for (int level = depth - 1; ; level--) {
      Node[] halves = split(current);
      if (level < 0) {
        Node newRoot = new Node(false, branching + 1, dim);
        setChild(newRoot, 0, halves[0]);
        setChild(newRoot, 1, halves[1]);
        newRoot.size = 2;
        root = newRoot;
        return;
      }
      Node parent = pathNodes.get(level);
      int slot = pathSlots[level];
      setChild(parent, slot, halves[0]);
      setChild(parent, parent.size, halves[1]);
      parent.size++;
      if (parent.size <= branching) {
        return;
      }
      current = parent;
    }
  }

  /** Writes child's summed CF into entry {@code slot} of {@code parent}. */
  private void setChild(Node parent, int slot, Node child) {
    int off = slot * dim;
    long total = 0;
    double squares = 0;
    Arrays.fill(parent.ls, off, off + dim, 0);
    for (int s = 0; s < child.size; s++) {
      total += child.n[s];
      squares += child.ss[s];
      int co = s * dim;
      for (int d = 0; d < dim; d++) {
        parent.ls[off + d] += child.ls[co + d];
      }
    }
    parent.n[slot] = total;
    parent.ss[slot] = squares;
    double inv = 1.0 / total;
    float norm = 0;
    for (int d = 0; d < dim; d++) {
      float c = (float) (parent.ls[off + d] * inv);
      parent.cent[off + d] = c;
      norm += c * c;
    }
    parent.cnorm[slot] = norm;
    parent.child[slot] = child;
  }

  /** Farthest pair of entries as seeds, every other entry to the closer seed (BIRCH node split). */
  private Node[] split(Node node) {
    int size = node.size;
    float[] dots = new float[size * size];
    for (int i = 0; i < size; i++) {
      ops.dotRows(node.cent, i * dim, node.cent, 0, size, dim, dots, i * size);
    }
    int seedA = 0;
    int seedB = 1;
    float far = -1;
    for (int i = 0; i < size; i++) {
      for (int j = i + 1; j < size; j++) {
        float d = node.cnorm[i] + node.cnorm[j] - 2 * dots[i * size + j];
        if (d > far) {
          far = d;
          seedA = i;
          seedB = j;
        }
      }
    }
    int cap = node.leaf ? leafCapacity + 1 : branching + 1;
    Node a = new Node(node.leaf, cap, dim);
    Node b = new Node(node.leaf, cap, dim);
    for (int s = 0; s < size; s++) {
      float da = node.cnorm[s] + node.cnorm[seedA] - 2 * dots[s * size + seedA];
      float db = node.cnorm[s] + node.cnorm[seedB] - 2 * dots[s * size + seedB];
      boolean toA = s == seedA || (s != seedB && (da < db || (da == db && a.size <= b.size)));
      copyEntry(node, s, toA ? a : b);
    }
    return new Node[] {a, b};
  }

  private void copyEntry(Node from, int s, Node to) {
    int t = to.size++;
    to.n[t] = from.n[s];
    to.ss[t] = from.ss[s];
    to.cnorm[t] = from.cnorm[s];
    System.arraycopy(from.ls, s * dim, to.ls, t * dim, dim);
    System.arraycopy(from.cent, s * dim, to.cent, t * dim, dim);
    if (from.leaf) {
      to.id[t] = from.id[s];
    } else {
      to.child[t] = from.child[s];
    }
  }

  /** Leaf nodes left to right (deterministic order). */
  List<Node> leaves() {
    List<Node> out = new ArrayList<>();
    collectLeaves(root, out);
    return out;
  }

  private static void collectLeaves(Node node, List<Node> out) {
    if (node.leaf) {
      out.add(node);
      return;
    }
    for (int s = 0; s < node.size; s++) {
      collectLeaves(node.child[s], out);
    }
  }

  /**
   * Suggests the next threshold: the {@code quantile} of, over leaf entries, the radius the entry would
   * have merged with its closest sibling in the same leaf (an estimate of nearest-neighbour merges).
   */
  double suggestThreshold(double quantile) {
    double[] radii = new double[leafEntries];
    int count = 0;
    for (Node leaf : leaves()) {
      int size = leaf.size;
      for (int i = 0; i < size; i++) {
        ops.dotRows(leaf.cent, i * dim, leaf.cent, 0, size, dim, scratch, 0);
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < size; j++) {
          if (j == i) {
            continue;
          }
          long n1 = leaf.n[i];
          long n2 = leaf.n[j];
          long total = n1 + n2;
          double mergedNorm = ((double) n1 * n1 * leaf.cnorm[i] + 2.0 * n1 * n2 * scratch[j] + (double) n2 * n2 * leaf.cnorm[j]) / ((double) total * total);
          double r2 = (leaf.ss[i] + leaf.ss[j]) / total - mergedNorm;
          best = Math.min(best, r2);
        }
        if (best < Double.POSITIVE_INFINITY) {
          radii[count++] = Math.sqrt(Math.max(0, best));
        }
      }
    }
    if (count == 0) {
      return threshold * 2 + 1e-3;
    }
    double[] used = Arrays.copyOf(radii, count);
    Arrays.sort(used);
    return used[(int) Math.min(count - 1, Math.floor(quantile * count))];
  }

  /** Re-inserts every leaf entry into a fresh tree with {@code newThreshold}; ids forward to the new entries. */
  void rebuild(double newThreshold) {
    List<Node> old = leaves();
    threshold = newThreshold;
    root = new Node(true, leafCapacity + 1, dim);
    leafEntries = 0;
    double[] sum = new double[dim];
    float[] centroid = new float[dim];
    for (Node leaf : old) {
      for (int s = 0; s < leaf.size; s++) {
        System.arraycopy(leaf.ls, s * dim, sum, 0, dim);
        System.arraycopy(leaf.cent, s * dim, centroid, 0, dim);
        int id = insert(leaf.n[s], sum, centroid, leaf.ss[s]);
        forward[leaf.id[s]] = id;
      }
    }
  }

  /** The live id an old id was forwarded to (with path compression). */
  int resolve(int id) {
    int root = id;
    while (forward[root] >= 0) {
      root = forward[root];
    }
    while (forward[id] >= 0) {
      int next = forward[id];
      forward[id] = root;
      id = next;
    }
    return root;
  }

  /** Live leaf entries in tree order, with a map from live id to position. */
  Entries entries() {
    List<Node> leaves = leaves();
    int m = leafEntries;
    long[] counts = new long[m];
    double[] sums = new double[(long) m * dim > Integer.MAX_VALUE ? fail(m) : m * dim];
    double[] squares = new double[m];
    int[] idToIndex = new int[nextId];
    Arrays.fill(idToIndex, -1);
    int k = 0;
    for (Node leaf : leaves) {
      for (int s = 0; s < leaf.size; s++) {
        counts[k] = leaf.n[s];
        squares[k] = leaf.ss[s];
        System.arraycopy(leaf.ls, s * dim, sums, k * dim, dim);
        idToIndex[leaf.id[s]] = k;
        k++;
      }
    }
    return new Entries(counts, sums, squares, idToIndex);
  }

  private static int fail(int m) {
    throw new IllegalStateException("too many micro-clusters for one array: " + m);
  }

  /** Flat CF arrays of the live entries; {@code idToIndex[id]} for live ids. */
  record Entries(long[] counts, double[] sums, double[] squares, int[] idToIndex) {}
}
