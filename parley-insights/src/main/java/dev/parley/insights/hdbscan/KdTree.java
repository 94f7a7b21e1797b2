package dev.parley.insights.hdbscan;

/**
 * A static KD-tree over low-dimensional points (J. L. Bentley, "Multidimensional binary search trees
 * used for associative searching", CACM 18(9), 1975): median split on the widest bounding-box side.
 * Points are copied in tree order so leaves are contiguous in memory. Package-private: it serves the
 * core-distance kNN and the Borůvka nearest-foreign-neighbour queries of {@link HdbscanTrainer}.
 */
final class KdTree {
  final int n;
  final int dim;
  /** Coordinates in tree order (position-major). */
  final double[] pts;
  /**
   * The same coordinates dimension-major ({@code cols[d * n + p]}): a leaf scan then runs over
   * contiguous points per dimension, a loop the JIT vectorises; each point's sum is still taken in
   * dimension order, so distances are bit-identical to {@link #dist2}.
   */
  final double[] cols;
  /** Original index of the point at each tree position. */
  final int[] index;
  final int[] start;
  final int[] end;
  final int[] left;
  final int[] right;
  final int[] up;
  /** Leaf node holding each tree position. */
  final int[] leafOf;
  final double[] lo;
  final double[] hi;
  int nodes;

  KdTree(double[] coords, int n, int dim, int leafSize) {
    this.n = n;
    this.dim = dim;
    this.index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = i;
    }
    int maxNodes = Math.max(1, 4 * (n / Math.max(1, leafSize) + 1));
    start = new int[maxNodes];
    end = new int[maxNodes];
    left = new int[maxNodes];
    right = new int[maxNodes];
    up = new int[maxNodes];
    leafOf = new int[n];
    lo = new double[maxNodes * dim];
    hi = new double[maxNodes * dim];
    build(coords, 0, n, leafSize);
    up[0] = -1;
    for (int node = 0; node < nodes; node++) {
      if (left[node] >= 0) {
        up[left[node]] = node;
        up[right[node]] = node;
      } else {
        for (int p = start[node]; p < end[node]; p++) {
          leafOf[p] = node;
        }
      }
    }
    pts = new double[n * dim];
    for (int p = 0; p < n; p++) {
      System.arraycopy(coords, index[p] * dim, pts, p * dim, dim);
    }
    cols = new double[n * dim];
    for (int p = 0; p < n; p++) {
      for (int d = 0; d < dim; d++) {
        cols[d * n + p] = pts[p * dim + d];
      }
    }
  }

  private int build(double[] coords, int from, int to, int leafSize) {
    int node = nodes++;
    start[node] = from;
    end[node] = to;
    left[node] = -1;
    right[node] = -1;
    int bo = node * dim;
    for (int d = 0; d < dim; d++) {
      lo[bo + d] = Double.POSITIVE_INFINITY;
      hi[bo + d] = Double.NEGATIVE_INFINITY;
    }
    for (int p = from; p < to; p++) {
      int o = index[p] * dim;
      for (int d = 0; d < dim; d++) {
        double v = coords[o + d];
        if (v < lo[bo + d]) {
          lo[bo + d] = v;
        }
        if (v > hi[bo + d]) {
          hi[bo + d] = v;
        }
      }
    }
    if (to - from <= leafSize) {
      return node;
    }
    int split = 0;
    double width = -1;
    for (int d = 0; d < dim; d++) {
      double w = hi[bo + d] - lo[bo + d];
      if (w > width) {
        width = w;
        split = d;
      }
    }
    if (width <= 0) {
      return node; // all points identical: keep as one leaf
    }
    int mid = (from + to) >>> 1;
    select(coords, from, to - 1, mid, split);
    int l = build(coords, from, mid, leafSize);
    int r = build(coords, mid, to, leafSize);
    left[node] = l;
    right[node] = r;
    return node;
  }

  /** Quickselect on index[from..to] by coordinate {@code d} so that position k holds the k-th smallest. */
  private void select(double[] coords, int from, int to, int k, int d) {
    while (to > from) {
      double pivot = coords[index[(from + to) >>> 1] * dim + d];
      int i = from;
      int j = to;
      while (i <= j) {
        while (coords[index[i] * dim + d] < pivot) {
          i++;
        }
        while (coords[index[j] * dim + d] > pivot) {
          j--;
        }
        if (i <= j) {
          int t = index[i];
          index[i] = index[j];
          index[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) {
        to = j;
      } else if (k >= i) {
        from = i;
      } else {
        return;
      }
    }
  }

  boolean isLeaf(int node) {
    return left[node] < 0;
  }

  /** Squared distance from point at tree position q to the bounding box of {@code node}. */
  double minDist2(int q, int node) {
    double s = 0;
    int qo = q * dim;
    int bo = node * dim;
    for (int d = 0; d < dim; d++) {
      double v = pts[qo + d];
      double diff = v < lo[bo + d] ? lo[bo + d] - v : (v > hi[bo + d] ? v - hi[bo + d] : 0);
      s += diff * diff;
    }
    return s;
  }

  /**
   * Distance from tree position q (inside the box of {@code node}) to the nearest face of that box: a
   * lower bound on its distance to any point outside the node's subtree, since the tight box lies
   * inside the node's cell and every other point lies outside that cell.
   */
  double faceDistance(int q, int node) {
    double m = Double.POSITIVE_INFINITY;
    int qo = q * dim;
    int bo = node * dim;
    for (int d = 0; d < dim; d++) {
      double v = pts[qo + d];
      m = Math.min(m, Math.min(v - lo[bo + d], hi[bo + d] - v));
    }
    return Math.max(0, m);
  }

  /** Squared distance between the bounding boxes of nodes {@code a} and {@code b} (0 when they overlap). */
  double boxDist2(int a, int b) {
    double s = 0;
    int ao = a * dim;
    int bo = b * dim;
    for (int d = 0; d < dim; d++) {
      double gap = Math.max(lo[bo + d] - hi[ao + d], lo[ao + d] - hi[bo + d]);
      if (gap > 0) {
        s += gap * gap;
      }
    }
    return s;
  }

  /** Largest number of points in one leaf. */
  int maxLeafSize() {
    int m = 1;
    for (int node = 0; node < nodes; node++) {
      if (isLeaf(node)) {
        m = Math.max(m, end[node] - start[node]);
      }
    }
    return m;
  }

  double dist2(int p, int q) {
    double s = 0;
    int po = p * dim;
    int qo = q * dim;
    for (int d = 0; d < dim; d++) {
      double diff = pts[po + d] - pts[qo + d];
      s += diff * diff;
    }
    return s;
  }

  /**
   * The k nearest tree positions of tree position q (q itself included, at distance 0), ascending.
   * Writes positions to {@code outPos} and squared distances to {@code outD2}; returns the count.
   */
  int knn(int q, int k, int[] outPos, double[] outD2, int[] stack) {
    return knn(q, k, outPos, outD2, stack, new double[stack.length]);
  }

  /**
   * As {@link #knn(int, int, int[], double[], int[])}, with a caller-owned stack of box distances: each
   * child's box distance is computed once, at its parent, and travels on the stack with it.
   */
  int knn(int q, int k, int[] outPos, double[] outD2, int[] stack, double[] stackD2) {
    return knn(q, k, outPos, outD2, stack, stackD2, new double[maxLeafSize()]);
  }

  /**
   * As above, with caller-owned scratch {@code leafD2} of at least {@link #maxLeafSize()} entries: a
   * leaf's distances are computed dimension by dimension over its contiguous points (vectorisable),
   * then merged into the sorted top k.
   */
  int knn(int q, int k, int[] outPos, double[] outD2, int[] stack, double[] stackD2, double[] leafD2) {
    int size = 0;
    int top = 0;
    stack[top] = 0;
    stackD2[top++] = 0;
    int qo = q * dim;
    while (top > 0) {
      --top;
      int node = stack[top];
      if (size == k && stackD2[top] > outD2[k - 1]) {
        continue;
      }
      if (isLeaf(node)) {
        int from = start[node];
        int len = end[node] - from;
        for (int i = 0; i < len; i++) {
          leafD2[i] = 0;
        }
        for (int d = 0; d < dim; d++) {
          double qd = pts[qo + d];
          int base = d * n + from;
          for (int i = 0; i < len; i++) {
            double diff = cols[base + i] - qd;
            leafD2[i] += diff * diff;
          }
        }
        for (int i = 0; i < len; i++) {
          double d2 = leafD2[i];
          int p = from + i;
          if (size < k || d2 < outD2[k - 1] || (d2 == outD2[k - 1] && index[p] < index[outPos[k - 1]])) {
            int pos = size < k ? size : k - 1;
            while (pos > 0 && (outD2[pos - 1] > d2 || (outD2[pos - 1] == d2 && index[outPos[pos - 1]] > index[p]))) {
              outD2[pos] = outD2[pos - 1];
              outPos[pos] = outPos[pos - 1];
              pos--;
            }
            outD2[pos] = d2;
            outPos[pos] = p;
            if (size < k) {
              size++;
            }
          }
        }
      } else {
        int l = left[node];
        int r = right[node];
        double dl = minDist2(q, l);
        double dr = minDist2(q, r);
        // push the farther child first so the nearer is explored first
        if (dl <= dr) {
          stack[top] = r;
          stackD2[top++] = dr;
          stack[top] = l;
          stackD2[top++] = dl;
        } else {
          stack[top] = l;
          stackD2[top++] = dl;
          stack[top] = r;
          stackD2[top++] = dr;
        }
      }
    }
    return size;
  }

  int depthBound() {
    return 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, n))) + 8;
  }
}
